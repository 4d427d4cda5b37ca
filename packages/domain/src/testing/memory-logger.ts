import type { Logger } from '../ports/logger.js';

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly context: Readonly<Record<string, unknown>> | undefined;
}

export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];

  info(message: string, context?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'info', message, context });
  }

  warn(message: string, context?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'warn', message, context });
  }

  error(message: string, context?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'error', message, context });
  }
}
