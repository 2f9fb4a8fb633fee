import { describe, expect, it } from "vitest";
import { IdentityClient, type models, type requests, type responses } from "oci-identity";
import * as common from "oci-common";
import { EXAMPLE, generatedUser, providerFor, useSimulator } from "../helpers/sim.js";

const ARCHIVE = "ocid1.compartment.oc1..aaaaaaaaarchivearchivearchivearchivearchivearchivearchive";
const auditor = generatedUser("auditor", { accessibleCompartmentIds: [EXAMPLE.backupProdId] });

describe("Identity ListCompartments through IdentityClient", () => {
  const suite = useSimulator({
    changeSeed: (seed) => {
      seed.compartments.push({ id: ARCHIVE, name: "archive", parentId: EXAMPLE.backupProdId, timeCreated: "2026-02-01T00:00:00.000Z" });
      seed.users.push(auditor.seedUser);
    },
  });

  it("lists the direct children of the tenancy, not the tenancy itself", async () => {
    const { clients } = suite();
    const { items } = await clients.identity.listCompartments({ compartmentId: EXAMPLE.tenancyId, sortBy: "NAME" as never });
    expect(items.map((c) => c.name)).toEqual(["backup-prod", "security"]);
    expect(items[0]).toMatchObject({ compartmentId: EXAMPLE.tenancyId, lifecycleState: "ACTIVE", isAccessible: true });
    expect(typeof items[0]!.timeCreated).toBe("string");
  });

  it("lists the whole tree with compartmentIdInSubtree, allowed only on the tenancy", async () => {
    const { clients } = suite();
    const all = [];
    const request: requests.ListCompartmentsRequest = { compartmentId: EXAMPLE.tenancyId, compartmentIdInSubtree: true, limit: 2 };
    const pages = common.paginateRecords<requests.ListCompartmentsRequest, responses.ListCompartmentsResponse, models.Compartment>(request, (r) => clients.identity.listCompartments(r));
    for await (const c of pages) all.push(c);
    expect(all.map((c) => c.name).sort()).toEqual(["archive", "backup-prod", "security"]);
    await expect(clients.identity.listCompartments({ compartmentId: EXAMPLE.backupProdId, compartmentIdInSubtree: true })).rejects.toMatchObject({
      statusCode: 400, serviceCode: "InvalidParameter",
    });
  });

  it("shows with accessLevel ACCESSIBLE only the compartments the user can reach", async () => {
    const { sim } = suite();
    const client = new IdentityClient(
      { authenticationDetailsProvider: providerFor(sim, auditor.seedUser.id, auditor.privateKey) },
      { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) },
    );
    client.endpoint = sim.endpoints.identity;
    try {
      const { items } = await client.listCompartments({ compartmentId: EXAMPLE.tenancyId, compartmentIdInSubtree: true, accessLevel: "ACCESSIBLE" as never });
      expect(items.map((c) => c.name).sort()).toEqual(["archive", "backup-prod"]);
      const any = await client.listCompartments({ compartmentId: EXAMPLE.tenancyId, accessLevel: "ANY" as never });
      expect(any.items.find((c) => c.name === "security")?.isAccessible).toBe(false);
    } finally {
      client.close();
    }
  });
});
