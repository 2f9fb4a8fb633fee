import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.js";
import { ValidationError } from "../../src/app/errors.js";
import { AUDITOR_GRANTS, ROTATOR_GRANTS } from "../../src/rotation/iam-policy-grants.js";
import { buildIamPolicy, formatIamPolicy } from "../../src/rotation/iam-policy.js";
import { ALL_SERVICES } from "../../src/sim/services/all-services.js";
import { runCli } from "../helpers/run-cli.js";

const SECURITY = "ocid1.compartment.oc1..aaaaaaaavjtddm5so72f22ycv66u62232zq4c7xwxfu3at4h4vqhmeb4h6v7";
const BACKUP_PROD = "ocid1.compartment.oc1..aaaaaaaam4htzx2ua3gxlriieeo4ohf2gkc3w5ohbrcahodsnlpg7mxcihdw";
const TOPIC = "ocid1.onstopic.oc1.iad.abuwcljrpiif7hwqgup5ghl53vbvsxxiphhir7frr354z3wdskslh53hj5cd";

function config(env: Record<string, string> = {}) {
  return loadConfig({ KEYPROOF_DATABASE: ":memory:", ...env });
}

const WRITES_NEVER_GRANTED = [
  "ScheduleKeyDeletion", "CancelKeyDeletion", "ScheduleKeyVersionDeletion", "CancelKeyVersionDeletion", "DisableKey", "EnableKey", "UpdateKey",
  "DeleteVolumeKmsKey", "DeleteBootVolumeKmsKey", "UpdateBucket", "CreateRetentionRule", "UpdateRetentionRule", "DeleteRetentionRule",
  "PutObject", "GetObject", "CancelWorkRequest", "UpdateConfiguration", "Sign",
];

describe("buildIamPolicy: the rotator", () => {
  it("scopes every statement to the configured compartments (compartments: the tenancy) and narrows each write to its operation", () => {
    const policy = buildIamPolicy(config({
      KEYPROOF_COMPARTMENTS: `${SECURITY},${BACKUP_PROD}`, KEYPROOF_VAULT_COMPARTMENTS: SECURITY, KEYPROOF_METRICS_COMPARTMENT: SECURITY, KEYPROOF_ONS_TOPIC: TOPIC,
    }), { dynamicGroup: "kp-rotator" });
    const lines = policy.rotator.statements.map((s) => s.text);
    const both = (rest: string) => [SECURITY, BACKUP_PROD].map((c) => `Allow dynamic-group kp-rotator to ${rest.replace("LOC", `compartment id ${c}`)}`);
    expect(lines).toEqual([
      // ListCompartments is called on the tenancy (subtree listing works only there).
      "Allow dynamic-group kp-rotator to inspect compartments in tenancy",
      ...both("read vaults in LOC"),
      ...both("read keys in LOC"),
      ...both("read volumes in LOC"),
      ...both("read volume-backups in LOC"),
      ...both("read boot-volume-backups in LOC"),
      ...both("read buckets in LOC"),
      "Allow dynamic-group kp-rotator to read objectstorage-namespaces in tenancy",
      ...both("read audit-events in LOC"),
      ...both("read log-content in LOC"),
      // Audit GetConfiguration is a tenancy-level call (the retention setting).
      "Allow dynamic-group kp-rotator to read audit-events in tenancy",
      ...both("manage keys in LOC where any {request.operation='CreateKey', request.operation='CreateKeyVersion'}"),
      ...both("use vaults in LOC where request.operation='CreateKey'"),
      ...both("use key-delegate in LOC where any {request.operation='UpdateVolumeKmsKey', request.operation='UpdateBootVolumeKmsKey'}"),
      ...both("use volumes in LOC where any {request.operation='UpdateVolumeKmsKey', request.operation='UpdateBootVolumeKmsKey'}"),
      ...both("use buckets in LOC where request.operation='ReencryptBucket'"),
      `Allow dynamic-group kp-rotator to use metrics in compartment id ${SECURITY} where target.metrics.namespace='keyproof'`,
      ...both("use ons-topics in LOC where request.operation='PublishMessage'"),
    ]);
    expect(policy.scopeLocations).toEqual([`compartment id ${SECURITY}`, `compartment id ${BACKUP_PROD}`]);
    expect(policy.keyLocations).toEqual(policy.scopeLocations);
    expect(policy.rotator.notes.some((n) => n.includes("vaultCompartments"))).toBe(false);
  });

  it("adds object statements only for a configured export or archive bucket: read once for both, PutObject the only write", () => {
    const plain = buildIamPolicy(config({ KEYPROOF_COMPARTMENTS: BACKUP_PROD }), { dynamicGroup: "kp-rotator" });
    expect(plain.rotator.statements.filter((s) => s.text.includes(" objects "))).toEqual([]);
    expect(plain.rotator.notes).toContain("objects (ListObjects, GetObject) left out: ingest.exportBucket is not configured.");
    expect(plain.rotator.notes).toContain("objects (PutObject) left out: ingest.archiveBucket is not configured.");
    const both = buildIamPolicy({
      ...config({ KEYPROOF_COMPARTMENTS: BACKUP_PROD }),
      ingest: { ...config().ingest, exportBucket: { bucket: "audit-export", prefix: "" }, archiveBucket: { bucket: "keyproof-archive", prefix: "keyproof-archive/" } },
    }, { dynamicGroup: "kp-rotator" });
    const objects = both.rotator.statements.filter((s) => s.text.includes(" objects "));
    expect(objects.map((s) => s.text)).toEqual([
      `Allow dynamic-group kp-rotator to read objects in compartment id ${BACKUP_PROD}`,
      `Allow dynamic-group kp-rotator to manage objects in compartment id ${BACKUP_PROD} where request.operation='PutObject'`,
    ]);
    expect(objects.map((s) => s.operations)).toEqual([["ListObjects", "GetObject"], ["PutObject"]]);
  });

  it("landing zone: vault and key statements also in the vault compartment, everything else in the backup compartment only", () => {
    const policy = buildIamPolicy(config({ KEYPROOF_COMPARTMENTS: BACKUP_PROD, KEYPROOF_VAULT_COMPARTMENTS: SECURITY }), { dynamicGroup: "kp-rotator" });
    const where = (grantId: string, p = policy.rotator) =>
      p.statements.filter((s) => s.grantId === grantId).map((s) => s.text.split(" in ")[1]!.split(" where ")[0]);
    const prodAndSecurity = [`compartment id ${BACKUP_PROD}`, `compartment id ${SECURITY}`];
    for (const id of ["vaults-read", "keys-read", "keys-create", "vaults-create-key", "key-delegate-use"]) expect(where(id), id).toEqual(prodAndSecurity);
    expect(policy.rotator.statements.filter((s) => s.grantId === "keys-create").map((s) => s.text)).toEqual(prodAndSecurity.map((c) =>
      `Allow dynamic-group kp-rotator to manage keys in ${c} where any {request.operation='CreateKey', request.operation='CreateKeyVersion'}`));
    expect(policy.rotator.statements.filter((s) => s.grantId === "vaults-create-key").map((s) => s.text)).toEqual(prodAndSecurity.map((c) =>
      `Allow dynamic-group kp-rotator to use vaults in ${c} where request.operation='CreateKey'`));
    // No scope creep: the resources' statements stay in the backup compartment.
    for (const id of ["volumes-read", "buckets-read", "volumes-update-key", "buckets-reencrypt"]) expect(where(id), id).toEqual([`compartment id ${BACKUP_PROD}`]);
    expect(where("compartments-inspect")).toEqual(["tenancy"]);
    // The auditor reads vaults and keys there too.
    expect(where("keys-read", policy.auditor)).toEqual([`compartment id ${BACKUP_PROD}`, `compartment id ${SECURITY}`]);
    expect(policy.keyLocations).toEqual([`compartment id ${BACKUP_PROD}`, `compartment id ${SECURITY}`]);
  });

  it("names the tenancy for vaults and keys when vaultCompartments is not set (vaults are looked up tenancy-wide), and says how to narrow it", () => {
    const policy = buildIamPolicy(config({ KEYPROOF_COMPARTMENTS: BACKUP_PROD }), { dynamicGroup: "kp-rotator" });
    const texts = policy.rotator.statements.map((s) => s.text);
    expect(texts).toContain("Allow dynamic-group kp-rotator to read keys in tenancy");
    expect(texts).toContain("Allow dynamic-group kp-rotator to use vaults in tenancy where request.operation='CreateKey'");
    expect(texts).toContain(`Allow dynamic-group kp-rotator to read volumes in compartment id ${BACKUP_PROD}`);
    expect(texts.filter((t) => t.includes(" keys in "))).toEqual([
      "Allow dynamic-group kp-rotator to read keys in tenancy",
      "Allow dynamic-group kp-rotator to manage keys in tenancy where any {request.operation='CreateKey', request.operation='CreateKeyVersion'}",
    ]);
    for (const p of [policy.rotator, policy.auditor]) expect(p.notes.at(-1)).toMatch(/^scope\.vaultCompartments \(KEYPROOF_VAULT_COMPARTMENTS\) is not set: .*the tenancy\. Set it/);
    expect(policy.keyLocations).toEqual(["tenancy"]);
  });

  it("prints inspect compartments in the tenancy with a note why, for the rotator and the auditor", () => {
    const policy = buildIamPolicy(config({ KEYPROOF_COMPARTMENTS: BACKUP_PROD, KEYPROOF_VAULT_COMPARTMENTS: SECURITY }));
    const text = formatIamPolicy(policy);
    expect(text).toContain("\nAllow dynamic-group keyproof-rotator to inspect compartments in tenancy\n");
    expect(text).toContain("\nAllow group keyproof-auditors to inspect compartments in tenancy\n");
    const why = text.split("\n").filter((l) => l.startsWith("#   Note: `inspect compartments` is granted in the tenancy"));
    expect(why).toHaveLength(2);
    expect(why[0]).toContain("ListCompartments on the tenancy with compartmentIdInSubtree=true");
    expect(text.split("\n")[0]).toBe(`# keyproof IAM policy (least privilege), scope: compartment id ${BACKUP_PROD}; vaults and keys: compartment id ${BACKUP_PROD}, compartment id ${SECURITY}`);
  });

  it("allows exactly the operations the engine calls: the reads, five writes, metrics and publish, and no delete, disable or update", () => {
    const policy = buildIamPolicy(config({ KEYPROOF_METRICS_COMPARTMENT: SECURITY, KEYPROOF_ONS_TOPIC: TOPIC }));
    const writes = ["CreateKey", "CreateKeyVersion", "UpdateVolumeKmsKey", "UpdateBootVolumeKmsKey", "ReencryptBucket", "PostMetricData", "PublishMessage"];
    for (const op of writes) expect(policy.rotator.operations).toContain(op);
    for (const op of WRITES_NEVER_GRANTED) expect(policy.rotator.operations).not.toContain(op);
    expect(policy.rotator.operations).toEqual([...policy.rotator.operations].sort());
    expect(policy.rotator.statements.find((s) => s.grantId === "keys-create")!.operations).toEqual(["CreateKey", "CreateKeyVersion"]);
    expect(policy.rotator.statementFree).toEqual([expect.objectContaining({ operations: ["SearchResources", "ListResourceTypes"] })]);
  });

  it("uses the tenancy when no compartment is configured, and the topic's own compartment when given", () => {
    const policy = buildIamPolicy(config({ KEYPROOF_ONS_TOPIC: TOPIC }), { topicCompartmentId: SECURITY });
    expect(policy.scopeLocations).toEqual(["tenancy"]);
    expect(policy.rotator.statements.map((s) => s.text)).toContain("Allow dynamic-group keyproof-rotator to read keys in tenancy");
    expect(policy.rotator.statements.filter((s) => s.grantId === "topic-publish").map((s) => s.text)).toEqual([
      `Allow dynamic-group keyproof-rotator to use ons-topics in compartment id ${SECURITY} where request.operation='PublishMessage'`,
    ]);
  });

  it("leaves out metrics and Notifications when they are not configured, and says so", () => {
    const policy = buildIamPolicy(config());
    expect(policy.rotator.operations).not.toContain("PostMetricData");
    expect(policy.rotator.operations).not.toContain("PublishMessage");
    expect(policy.rotator.notes).toContain("metrics (PostMetricData) left out: signals.metricsCompartmentId is not configured.");
    expect(policy.rotator.notes).toContain("ons-topics (PublishMessage) left out: signals.topicId is not configured.");
  });

  it("adds use tag-namespaces for a defined scope tag (successor keys copy it), and a matching-rule note per auth mode", () => {
    const policy = buildIamPolicy(config({ KEYPROOF_SCOPE_TAG: "Backup.encryption=enabled", KEYPROOF_OCI_AUTH: "resource-principal" }));
    expect(policy.rotator.statements.at(-1)!.text).toBe("Allow dynamic-group keyproof-rotator to use tag-namespaces in tenancy where target.tag-namespace.name='Backup'");
    expect(policy.rotator.notes[0]).toContain("resource.type = 'fnfunc'");
    expect(buildIamPolicy(config()).rotator.statements.some((s) => s.grantId === "tag-namespace-use")).toBe(false);
  });

  it("refuses a group name or topic compartment that would break the statement", () => {
    expect(() => buildIamPolicy(config(), { dynamicGroup: "evil to manage all-resources in tenancy" })).toThrow(ValidationError);
    expect(() => buildIamPolicy(config(), { auditorGroup: "" })).toThrow(/--auditor-group/);
    expect(() => buildIamPolicy(config(), { topicCompartmentId: "ocid1.user.oc1..x" })).toThrow(/--topic-compartment/);
    expect(buildIamPolicy(config(), { dynamicGroup: "'Default'/'kp rotator'" }).rotator.subject).toBe("dynamic-group 'Default'/'kp rotator'");
  });
});

describe("buildIamPolicy: the auditor", () => {
  it("has only inspect and read statements and no write operation", () => {
    const policy = buildIamPolicy(config({ KEYPROOF_COMPARTMENTS: SECURITY, KEYPROOF_METRICS_COMPARTMENT: SECURITY, KEYPROOF_ONS_TOPIC: TOPIC }), { auditorGroup: "auditors" });
    for (const s of policy.auditor.statements) expect(s.text).toMatch(/^Allow group auditors to (inspect|read) /);
    expect(policy.auditor.statements.map((s) => s.text)).toContain(`Allow group auditors to read metrics in compartment id ${SECURITY} where target.metrics.namespace='keyproof'`);
    for (const op of [...WRITES_NEVER_GRANTED, "CreateKey", "CreateKeyVersion", "UpdateVolumeKmsKey", "ReencryptBucket", "PostMetricData", "PublishMessage"]) {
      expect(policy.auditor.operations).not.toContain(op);
    }
    expect(policy.auditor.operations).toEqual(expect.arrayContaining(["GetKey", "ListKeyVersions", "GetBucket", "GetVolumeKmsKey", "ListEvents", "SearchLogs"]));
  });
});

describe("the grant mapping", () => {
  it("names only operations the simulator serves (or Monitoring reads it does not model), each with a source URL", () => {
    const served = new Set(ALL_SERVICES.flatMap((s) => s.operations.map((o) => o.name)));
    const notModelled = new Set(["ListMetrics", "SummarizeMetricsData"]);
    for (const grant of [...ROTATOR_GRANTS, ...AUDITOR_GRANTS]) {
      for (const op of grant.operations) expect(served.has(op) || notModelled.has(op), `${grant.id}: ${op}`).toBe(true);
      expect(grant.source).toMatch(/^https:\/\/docs\.oracle\.com\/iaas\/Content\//);
    }
  });
});

describe("keyproof iam-policy (CLI)", () => {
  it("prints the statements with notes, and --json with the operations of each statement", () => {
    const env = { KEYPROOF_DATABASE: "/nonexistent/dir/never-opened.sqlite", KEYPROOF_COMPARTMENTS: SECURITY, KEYPROOF_VAULT_COMPARTMENTS: SECURITY, KEYPROOF_METRICS_COMPARTMENT: SECURITY };
    const text = runCli(["iam-policy", "--dynamic-group", "kp-rotator", "--auditor-group", "kp-auditors"], env);
    expect(text.stderr).toBe("");
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`\nAllow dynamic-group kp-rotator to use buckets in compartment id ${SECURITY} where request.operation='ReencryptBucket'\n`);
    expect(text.stdout).toContain(`\nAllow group kp-auditors to read keys in compartment id ${SECURITY}\n`);
    expect(text.stdout).toMatch(/\n# {3}Operations allowed \(\d+\): .*CreateKeyVersion/);
    for (const line of text.stdout.split("\n").filter(Boolean)) expect(line).toMatch(/^(#|Allow (dynamic-group kp-rotator|group kp-auditors) to )/);

    const json = runCli(["iam-policy", "--json"], env);
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.rotator.subject).toBe("dynamic-group keyproof-rotator");
    expect(parsed.rotator.statements.find((s: { grantId: string }) => s.grantId === "metrics-post")).toMatchObject({
      text: `Allow dynamic-group keyproof-rotator to use metrics in compartment id ${SECURITY} where target.metrics.namespace='keyproof'`,
      operations: ["PostMetricData"],
      source: "https://docs.oracle.com/iaas/Content/Identity/Reference/monitoringpolicyreference.htm",
    });
    expect(formatIamPolicy(buildIamPolicy(config({ KEYPROOF_COMPARTMENTS: SECURITY, KEYPROOF_VAULT_COMPARTMENTS: SECURITY, KEYPROOF_METRICS_COMPARTMENT: SECURITY })))).toBe(runCli(["iam-policy"], env).stdout);
  });

  it("exits 2 (validation) on a bad group name", () => {
    const result = runCli(["iam-policy", "--dynamic-group", "a b"], { KEYPROOF_DATABASE: ":memory:" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--dynamic-group");
    expect(result.stdout).toBe("");
  });
});
