/**
 * What `/` shows while the web app has not been built: the API works, so this says how to get the
 * pages too rather than failing.
 */
export function notBuiltPage(webRoot: string): string {
  const escaped = webRoot.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Lexy Files: web app not built</title></head>
<body>
<main>
<h1>The web app is not built yet</h1>
<p>The gateway serves the web app from <code>${escaped}</code>, and there is no <code>index.html</code> there.</p>
<p>Build it with <code>npx nx run web:build</code> (<code>npm start</code> does it for you), or point
<code>GATEWAY_WEB_ROOT</code> at a built copy. The API is at <a href="/api/docs">/api/docs</a>.</p>
</main>
</body>
</html>
`;
}
