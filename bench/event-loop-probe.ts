import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/**
 * Preloaded into the service by the request-bounds scenario (`node -r .../event-loop-probe.js dist/src/main.js`,
 * spawned with an IPC channel): answers 'event-loop:read' with the event loop's busy time so far and the longest
 * delay since the last 'event-loop:reset'. Nothing else in the service changes.
 */
export interface EventLoopReading {
  /** Milliseconds the event loop has spent running callbacks since the process started. */
  activeMs: number;
  /** Longest event-loop delay since the last reset (ms, 1 ms resolution). */
  maxDelayMs: number;
}

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

process.on('message', (message: unknown) => {
  if (message === 'event-loop:reset') {
    delay.reset();
    process.send?.({ type: 'event-loop:reset' });
  } else if (message === 'event-loop:read') {
    const reading: EventLoopReading = { activeMs: performance.eventLoopUtilization().active, maxDelayMs: delay.max / 1e6 };
    process.send?.({ type: 'event-loop:reading', reading });
  }
});
// The channel must not keep the service alive: it shuts down on SIGTERM as it would without the probe.
process.channel?.unref();
