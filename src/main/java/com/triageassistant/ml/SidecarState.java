package com.triageassistant.ml;

/** Where the supervised sidecar is in its life. */
public enum SidecarState {
    /** The first start is under way. */
    STARTING,
    /** Answering calls and pings. */
    UP,
    /** A running sidecar was lost (its process exited or it stopped answering pings); a new one is on its way. */
    RESTARTING,
    /** Not running: the last start failed (the reason says why; another attempt follows after a back-off),
     *  the sidecar is disabled, or the app is stopping. */
    DOWN
}
