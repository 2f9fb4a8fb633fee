import { generateKeyPairSync } from "node:crypto";
import * as common from "oci-common";
import { KmsManagementClient } from "oci-keymanagement";
import { describe, expect, it } from "vitest";
import { EXAMPLE, generatedUser, providerFor, useSimulator } from "../helpers/sim.js";

const reader = generatedUser("reader", { allowedOperations: ["GetVault", "GetKey", "ListKeys"] });
const noBreaker = () => ({ circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) });

describe("request signatures and allow lists", () => {
  const suite = useSimulator({ changeSeed: (seed) => seed.users.push(reader.seedUser) });

  /** Signs a GET with the example user's key through the SDK's own signer, then lets the test tamper with it. */
  async function signedGet(path: string): Promise<Headers> {
    const { sim, provider } = suite();
    const headers = new Headers();
    await new common.DefaultRequestSigner(provider).signHttpRequest({ method: "GET", headers, uri: `${sim.url}${path}` });
    return headers;
  }

  it("accepts the SDK's signature and identifies the user by keyId", async () => {
    const { sim, clients } = suite();
    await clients.management.getKey({ keyId: EXAMPLE.bucketKey.id });
    expect(sim.calls.at(-1)).toMatchObject({ operation: "GetKey", status: 200, principal: "keyproof-rotator" });
  });

  it("answers a tampered signature with 401 NotAuthenticated as OCI's JSON error", async () => {
    const { sim } = suite();
    const path = `/kms-mgmt/ejsppeqvaafyi/20180608/keys/${EXAMPLE.bucketKey.id}`;
    const headers = await signedGet(path);
    headers.set("authorization", headers.get("authorization")!.replace(/signature="([A-Za-z0-9+/])/, (_m, c: string) => `signature="${c === "A" ? "B" : "A"}`));
    const response = await fetch(`${sim.url}${path}`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get("opc-request-id")).toBeTruthy();
    expect(await response.json()).toMatchObject({ code: "NotAuthenticated" });
  });

  it("answers a signature over another path (a replayed header) with 401", async () => {
    const { sim } = suite();
    const headers = await signedGet(`/kms-mgmt/ejsppeqvaafyi/20180608/keys/${EXAMPLE.volumeKey.id}`);
    const response = await fetch(`${sim.url}/kms-mgmt/ejsppeqvaafyi/20180608/keys/${EXAMPLE.bucketKey.id}`, { headers });
    expect(response.status).toBe(401);
  });

  it("answers a request signed with another private key under the same keyId with 401", async () => {
    const { sim } = suite();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const client = new KmsManagementClient({ authenticationDetailsProvider: providerFor(sim, EXAMPLE.user.id, privateKey) }, noBreaker());
    client.endpoint = sim.vaultEndpoints(EXAMPLE.vaultId).management;
    try {
      await expect(client.getKey({ keyId: EXAMPLE.bucketKey.id })).rejects.toMatchObject({ statusCode: 401, serviceCode: "NotAuthenticated" });
    } finally {
      client.close();
    }
  });

  it("answers a body that does not match x-content-sha256 with 401", async () => {
    const { sim, provider } = suite();
    const uri = `${sim.url}/kms-mgmt/ejsppeqvaafyi/20180608/keys/${EXAMPLE.bucketKey.id}`;
    const body = JSON.stringify({ displayName: "signed" });
    const headers = new Headers({ "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
    await new common.DefaultRequestSigner(provider).signHttpRequest({ method: "PUT", headers, uri, body });
    const tampered = JSON.stringify({ displayName: "evil!!" });
    const response = await fetch(uri, { method: "PUT", headers, body: tampered });
    expect(response.status).toBe(401);
    expect(sim.state.keys.get(EXAMPLE.bucketKey.id)!.displayName).toBe("backup-objects-key");
  });

  it("answers a request signed 6 minutes away from the simulator clock with 401, and accepts it again in range", async () => {
    const { sim, clients } = suite();
    sim.clock.advance(6 * 60_000);
    try {
      await expect(clients.management.getKey({ keyId: EXAMPLE.bucketKey.id })).rejects.toMatchObject({ statusCode: 401, serviceCode: "NotAuthenticated" });
    } finally {
      sim.clock.advance(-6 * 60_000);
    }
    await expect(clients.management.getKey({ keyId: EXAMPLE.bucketKey.id })).resolves.toBeTruthy();
  });

  it("answers an operation outside the principal's allow list with 404 NotAuthorizedOrNotFound", async () => {
    const { sim } = suite();
    const client = new KmsManagementClient({ authenticationDetailsProvider: providerFor(sim, reader.seedUser.id, reader.privateKey) }, noBreaker());
    client.endpoint = sim.vaultEndpoints(EXAMPLE.vaultId).management;
    try {
      await expect(client.getKey({ keyId: EXAMPLE.bucketKey.id })).resolves.toBeTruthy();
      await expect(client.createKeyVersion({ keyId: EXAMPLE.bucketKey.id })).rejects.toMatchObject({ statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" });
      expect(sim.state.keyVersions.size).toBe(5);
    } finally {
      client.close();
    }
  });

  it("does not audit unauthenticated calls but logs them as calls", () => {
    const { sim } = suite();
    const unauthenticated = sim.calls.filter((c) => c.status === 401);
    expect(unauthenticated.length).toBeGreaterThanOrEqual(4);
    expect(unauthenticated.every((c) => c.principal === null)).toBe(true);
    const audited = new Set(sim.audit.events({ includePending: true }).map((e) => e.data.request.id));
    expect(unauthenticated.some((c) => audited.has(c.requestId))).toBe(false);
  });
});
