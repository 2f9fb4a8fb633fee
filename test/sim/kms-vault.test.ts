import * as common from "oci-common";
import { describe, expect, it } from "vitest";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";

const OCI_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("KMS vault operations through KmsVaultClient", () => {
  const suite = useSimulator();

  it("answers GetVault with endpoints that point back at the simulator", async () => {
    const { sim, clients } = suite();
    const { vault, etag, opcRequestId } = await clients.vault.getVault({ vaultId: EXAMPLE.vaultId });
    expect(vault.id).toBe(EXAMPLE.vaultId);
    expect(vault.displayName).toBe("backup-vault");
    expect(vault.vaultType).toBe("VIRTUAL_PRIVATE");
    expect(vault.lifecycleState).toBe("ACTIVE");
    expect(vault.managementEndpoint).toBe(`${sim.url}/kms-mgmt/ejsppeqvaafyi`);
    expect(vault.cryptoEndpoint).toBe(`${sim.url}/kms-crypto/ejsppeqvaafyi`);
    expect(vault.isPrimary).toBe(true);
    expect(vault.isVaultReplicable).toBe(true);
    expect(vault.replicaDetails?.replicationId).toMatch(/^ocid1\.vaultreplication\./);
    expect(vault.wrappingkeyId).toMatch(/^ocid1\.key\.oc1\.iad\.ejsppeqvaafyi\./);
    // The SDK types say Date; at runtime the field is OCI's string (OCI-NOTES §1.6).
    expect(typeof vault.timeCreated).toBe("string");
    expect(vault.timeCreated as unknown as string).toMatch(OCI_TIME);
    expect(etag).toMatch(/^[0-9a-f]{64}$/);
    // OCI appends two server hops to the id the client sent.
    expect(opcRequestId).toMatch(/^[0-9A-F-]+\/[0-9A-F]{32}\/[0-9A-F]{32}$/);
    expect(sim.calls.at(-1)).toMatchObject({ operation: "GetVault", status: 200, principal: "keyproof-rotator", requestId: opcRequestId });
  });

  it("shows a replica vault as a read-only copy sharing the primary's replication id", async () => {
    const { clients } = suite();
    const primary = (await clients.vault.getVault({ vaultId: EXAMPLE.vaultId })).vault;
    const replica = (await clients.vault.getVault({ vaultId: EXAMPLE.replicaVaultId })).vault;
    expect(replica.isPrimary).toBe(false);
    expect(replica.replicaDetails?.replicationId).toBe(primary.replicaDetails?.replicationId);
    expect(replica.managementEndpoint).not.toBe(primary.managementEndpoint);
  });

  it("answers an unknown vault with 404 NotAuthorizedOrNotFound", async () => {
    const { clients } = suite();
    const error = await clients.vault.getVault({ vaultId: "ocid1.vault.oc1.iad.nosuchvault1.abuwcljsnothere" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(common.OciError);
    expect(error).toMatchObject({ statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" });
  });

  it("lists vaults of a compartment page by page through the SDK's record iterator", async () => {
    const { sim, clients } = suite();
    const before = sim.calls.length;
    const vaults = [];
    for await (const v of clients.vault.listVaultsRecordIterator({ compartmentId: EXAMPLE.securityId, limit: 1 })) vaults.push(v);
    expect(vaults.map((v) => v.id).sort()).toEqual([EXAMPLE.vaultId, EXAMPLE.replicaVaultId].sort());
    expect(sim.calls.slice(before).map((c) => c.operation)).toEqual(["ListVaults", "ListVaults"]);
    expect(vaults[0]).not.toHaveProperty("isPrimary");
  });

  it("requires compartmentId on ListVaults and rejects a limit above 1000", async () => {
    const { clients } = suite();
    await expect(clients.vault.listVaults({ compartmentId: "" })).rejects.toMatchObject({ statusCode: 400, serviceCode: "MissingParameter" });
    await expect(clients.vault.listVaults({ compartmentId: EXAMPLE.securityId, limit: 1001 })).rejects.toMatchObject({
      statusCode: 400, serviceCode: "InvalidParameter",
    });
  });

  it("counts HSM and software keys and versions in GetVaultUsage", async () => {
    const { clients } = suite();
    const { vaultUsage } = await clients.vault.getVaultUsage({ vaultId: EXAMPLE.vaultId });
    // backup-objects-key (3 versions), backup-volumes-2026-04 (1), keyproof-manifest-signing (1): all HSM.
    expect(vaultUsage).toEqual({ keyCount: 3, keyVersionCount: 5, softwareKeyCount: 0, softwareKeyVersionCount: 0 });
  });
});
