package io.lexyfiles.app;

import com.getcapacitor.BridgeActivity;

public class MainActivity extends BridgeActivity {}
