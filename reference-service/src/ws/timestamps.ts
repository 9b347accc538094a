/** How a frame's `timestamp` is written: ISO 8601 text (the contract's), or epoch seconds or milliseconds as many services send it. */
export const TIMESTAMP_FORMATS = ['iso', 'epoch-seconds', 'epoch-millis'] as const;
export type TimestampFormat = (typeof TIMESTAMP_FORMATS)[number];

/** The time now, as this deployment writes it in frames. */
export type Clock = () => string | number;

export function clockFor(format: TimestampFormat): Clock {
  switch (format) {
    case 'iso':
      return () => new Date().toISOString();
    case 'epoch-seconds':
      // A float with the milliseconds as decimals, as a Python service's time.time() goes out.
      return () => Date.now() / 1000;
    case 'epoch-millis':
      return () => Date.now();
  }
}
