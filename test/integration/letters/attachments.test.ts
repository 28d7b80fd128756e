import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentStore } from "../../../functions/store/attachments";
import { DEMO, field, startHarness, type Harness, type LetterBody, type Person } from "./harness";

/** Presigned upload and download through s3rver; the stored object checked after upload. */

let h: Harness;
let registry: Person;
let officerA: Person;
let officerB: Person;
let letter: LetterBody;

/** A small but real PDF document. */
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
  "latin1",
);
/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

beforeAll(async () => {
  h = await startHarness("attachments");
  registry = await h.person(DEMO.registry);
  officerA = await h.person(DEMO.officerA);
  officerB = await h.person(DEMO.officerB);
  const res = await h.call<LetterBody>("POST", "/api/letters", { token: registry.token, body: { subject: "Na kiambatisho", direction: "INCOMING", assigneeId: officerA.id } });
  letter = res.body;
});
afterAll(async () => {
  await h?.stop();
});

async function request(body: Record<string, unknown>, token = officerA.token) {
  return h.call<{ id: string; uploadUrl: string; expiresAt: string }>("POST", `/api/letters/${letter.id}/attachments`, { token, body });
}

async function upload(url: string, bytes: Buffer, contentType: string) {
  const res = await fetch(url, { method: "PUT", body: bytes, headers: { "content-type": contentType } });
  expect(res.status).toBe(200);
}

async function objectExists(attachmentId: string): Promise<boolean> {
  try {
    await h.s3.send(new HeadObjectCommand({ Bucket: h.bucket, Key: AttachmentStore.objectKey(h.demo.agencyId, letter.id, attachmentId) }));
    return true;
  } catch {
    return false;
  }
}

describe("attachments", () => {
  it("accepts a real PDF of the declared size and hands out a download URL with the same bytes", async () => {
    const requested = await request({ fileName: "barua.pdf", contentType: "application/pdf", size: PDF.length });
    expect(requested.status).toBe(201);
    expect(Date.parse(requested.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(new URL(requested.body.uploadUrl).origin).toBe(new URL(process.env.AWS_ENDPOINT_URL_S3 ?? "").origin);

    const early = await h.call("POST", `/api/letters/${letter.id}/attachments/${requested.body.id}/complete`, { token: officerA.token });
    expect(early.status).toBe(409);

    await upload(requested.body.uploadUrl, PDF, "application/pdf");
    const done = await h.call("POST", `/api/letters/${letter.id}/attachments/${requested.body.id}/complete`, { token: officerA.token });
    expect([done.status, field(done.body, "status")]).toEqual([200, "ACCEPTED"]);

    const link = await h.call<{ downloadUrl: string }>("GET", `/api/letters/${letter.id}/attachments/${requested.body.id}`, { token: registry.token });
    expect(link.status).toBe(200);
    const download = await fetch(link.body.downloadUrl);
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);

    const page = await h.call<{ attachments: { id: string; status: string; fileName: string }[] }>("GET", `/api/letters/${letter.id}`, { token: officerA.token });
    expect(page.body.attachments).toEqual([expect.objectContaining({ id: requested.body.id, status: "ACCEPTED", fileName: "barua.pdf" })]);
  });

  it("rejects PNG bytes declared as PDF and deletes the object", async () => {
    const requested = await request({ fileName: "scan.pdf", contentType: "application/pdf", size: PNG.length });
    await upload(requested.body.uploadUrl, PNG, "application/pdf");
    expect(await objectExists(requested.body.id)).toBe(true);
    const done = await h.call("POST", `/api/letters/${letter.id}/attachments/${requested.body.id}/complete`, { token: officerA.token });
    expect([done.status, field(done.body, "error", "code")]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    expect(await objectExists(requested.body.id)).toBe(false);
    const link = await h.call("GET", `/api/letters/${letter.id}/attachments/${requested.body.id}`, { token: officerA.token });
    expect(link.status).toBe(409);
    const page = await h.call<{ attachments: { id: string; status: string }[] }>("GET", `/api/letters/${letter.id}`, { token: officerA.token });
    expect(page.body.attachments.find((a) => a.id === requested.body.id)?.status).toBe("REJECTED");
  });

  it("rejects an upload whose size differs from the declared one and deletes the object", async () => {
    const requested = await request({ fileName: "picha.png", contentType: "image/png", size: PNG.length + 10 });
    await upload(requested.body.uploadUrl, PNG, "image/png");
    const done = await h.call("POST", `/api/letters/${letter.id}/attachments/${requested.body.id}/complete`, { token: officerA.token });
    expect([done.status, field(done.body, "error", "code")]).toEqual([400, "VALIDATION_FAILED"]);
    expect(await objectExists(requested.body.id)).toBe(false);
  });

  it("refuses other types, more than 25 MiB, and people who do not work on the letter, writing nothing", async () => {
    const before = await h.snapshot(["letters", "audit"]);
    const exe = await request({ fileName: "virus.exe", contentType: "application/x-msdownload", size: 100 });
    expect([exe.status, field(exe.body, "error", "code")]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    const big = await request({ fileName: "big.pdf", contentType: "application/pdf", size: 25 * 1024 * 1024 + 1 });
    expect([big.status, field(big.body, "error", "code")]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    expect((await request({ fileName: "tupu.pdf", contentType: "application/pdf", size: 0 })).status).toBe(400);
    expect((await request({ fileName: "../x.pdf", contentType: "application/pdf", size: 10 })).status).toBe(400);
    // Officer B cannot read this RESTRICTED letter at all.
    expect((await request({ fileName: "a.pdf", contentType: "application/pdf", size: 10 }, officerB.token)).status).toBe(404);
    expect((await h.call("GET", `/api/letters/${letter.id}/attachments/nope`, { token: officerA.token })).status).toBe(404);
    expect(await h.snapshot(["letters", "audit"])).toEqual(before);
  });

  it("accepts exactly 25 MiB as declared size", async () => {
    const requested = await request({ fileName: "kubwa.pdf", contentType: "application/pdf", size: 25 * 1024 * 1024 });
    expect(requested.status).toBe(201);
  });
});
