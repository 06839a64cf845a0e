import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The service logs JSON lines (one fixed message plus a metadata object).
 * Secrets never go into metadata; untrusted text is redacted before it is logged.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'pitcrew' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['*.token', '*.secret', '*.password', '*.privateKey', '*.apiKey', 'headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

/** A logger that drops everything, for CLI commands and tests that do not want service logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
