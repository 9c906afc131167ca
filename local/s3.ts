import { mkdirSync } from "node:fs";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

export interface LocalS3 {
  endpoint: string;
  /** An object's text, as the Step Functions service reads a Distributed Map's ItemReader. */
  readObject(bucket: string, key: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * s3rver on 127.0.0.1 with the template's buckets, objects kept as files under `directory` (a
 * second start keeps them). It answers presigned GETs, checking their expiry, but neither their
 * signature nor versioning or Object Lock: those are proved on the synthesised template.
 */
export async function startS3(opts: { directory: string; port?: number; buckets: string[] }): Promise<LocalS3> {
  mkdirSync(opts.directory, { recursive: true });
  const server = new S3rver({
    address: "127.0.0.1",
    port: opts.port ?? 0,
    directory: opts.directory,
    silent: true,
    configureBuckets: opts.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: "eu-central-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  return {
    endpoint,
    readObject: async (bucket, key) => {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return object.Body!.transformToString("utf8");
    },
    stop: async () => {
      client.destroy();
      // SDK clients and browsers keep connections alive; drop them so close does not wait.
      server.httpServer?.closeAllConnections?.();
      await server.close();
    },
  };
}
