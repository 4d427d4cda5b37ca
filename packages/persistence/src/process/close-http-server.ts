/** The parts of `node:http`'s Server a graceful stop uses. */
interface ClosableServer {
  close(callback?: (error?: Error) => void): unknown;
  closeIdleConnections(): void;
  closeAllConnections(): void;
}

/**
 * Stops accepting connections and resolves once every request in flight has been answered. A
 * keep-alive connection is closed as soon as its request is done (Node's `close()` only closes the
 * connections idle at the moment it is called); past `timeoutMs` the rest are cut.
 */
export function closeHttpServer(server: ClosableServer, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
