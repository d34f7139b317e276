import { connect } from 'node:net';

export interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes as they are over a TCP connection (no HTTP client to tidy them up) and parses the first answer once
 * the server closes the connection; undefined when it closed without answering. A request the server still waits
 * on after `endAfterMs` is finished by closing our side (the server then answers it or drops it). Requests should
 * say `Connection: close`, or be malformed enough to be cut off.
 */
export function rawHttp(port: number, request: string, endAfterMs = 2_000): Promise<RawResponse | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(request, 'latin1'));
    const stillWaiting = setTimeout(() => socket.end(), endAfterMs);
    const givenUp = setTimeout(() => socket.destroy(), endAfterMs + 15_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(stillWaiting);
      clearTimeout(givenUp);
      const text = Buffer.concat(chunks).toString('latin1');
      if (text === '') return resolve(undefined);
      const headEnd = text.indexOf('\r\n\r\n');
      const head = headEnd === -1 ? text : text.slice(0, headEnd);
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(head);
      if (!status) return reject(new Error(`not an HTTP answer to ${JSON.stringify(request.slice(0, 200))}: ${JSON.stringify(text.slice(0, 300))}`));
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) headers[line.slice(0, line.indexOf(':')).trim().toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      // Only the first answer counts (a keep-alive connection may carry more).
      const rest = Buffer.from(headEnd === -1 ? '' : text.slice(headEnd + 4), 'latin1');
      const length = Number(headers['content-length']);
      resolve({ statusCode: Number(status[1]), headers, body: (Number.isFinite(length) ? rest.subarray(0, length) : rest).toString('utf8') });
    });
  });
}
