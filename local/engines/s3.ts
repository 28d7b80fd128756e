import { mkdirSync } from "node:fs";
import S3rver from "s3rver";
import { freePort } from "./ports";

/** s3rver knows one account; local clients sign with it (DynamoDB Local accepts any credentials). */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export interface S3Local {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Browsers upload attachments straight to presigned URLs, so the local bucket allows CORS. */
const CORS_CONFIG = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/** Starts s3rver on a free loopback port, storing objects under `dataDir`, with the given buckets. */
export async function startS3Local(options: { dataDir: string; buckets: string[]; port?: number }): Promise<S3Local> {
  mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const server = new S3rver({
    address: "127.0.0.1",
    port,
    silent: true,
    directory: options.dataDir,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [CORS_CONFIG] })),
  });
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, port, stop: () => server.close() };
}
