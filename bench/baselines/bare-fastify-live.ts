import Fastify from 'fastify';

/** Baseline for GET /health/live: bare Fastify, no Nest, no plugins. Prints {"listening": port} when ready. */
async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/health/live', async () => ({ status: 'ok' }));
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
  const address = app.server.address();
  console.log(JSON.stringify({ listening: typeof address === 'object' && address ? address.port : undefined }));
  const close = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

main().catch((error: unknown) => {
  console.error(`bare-fastify-live failed: ${(error as Error).message ?? error}`);
  process.exit(1);
});
