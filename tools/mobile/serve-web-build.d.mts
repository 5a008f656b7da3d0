export declare const MOBILE_WEB_ROOT: string;
export declare function mobileWebBuilt(root?: string): boolean;
export declare function serveMobileWebBuild(options: {
  root?: string;
  host?: string;
  port: number;
  serverUrl: string;
}): Promise<{ url: string; close(): Promise<void> }>;
