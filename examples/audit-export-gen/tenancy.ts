/**
 * The example tenancy: one region (us-ashburn-1), one private vault, the backup keys and the
 * tagged backup resources that examples/README.md describes. Every OCID is derived from a label.
 */
import { globalOcid, kmsOcid, regionalOcid } from "./ids.js";

export const TENANCY = globalOcid("tenancy", "acme-prod");
export const NAMESPACE = "idr2kxq7vbmn";
export const VAULT_PREFIX = "ejsppeqvaafyi";

export interface Compartment {
  id: string;
  name: string;
}
export const SECURITY: Compartment = { id: globalOcid("compartment", "security"), name: "security" };
export const BACKUP_PROD: Compartment = { id: globalOcid("compartment", "backup-prod"), name: "backup-prod" };

export const VAULT = kmsOcid("vault", VAULT_PREFIX, "backup-vault");

export interface KeyFixture {
  id: string;
  name: string;
  /** The version created with the key (CreateKey's currentKeyVersion). */
  firstVersion: string;
}
function key(label: string, name: string): KeyFixture {
  return { id: kmsOcid("key", VAULT_PREFIX, label), name, firstVersion: kmsOcid("keyversion", VAULT_PREFIX, `${label}:v1`) };
}

/** Bucket key (rotated by key versions). */
export const KB = key("kb", "backup-objects-key");
/** Later versions of KB: v2 (rotation 1), v3 (rotation 2), v4 (rotation 3). */
export const KB_V2 = kmsOcid("keyversion", VAULT_PREFIX, "kb:v2");
export const KB_V3 = kmsOcid("keyversion", VAULT_PREFIX, "kb:v3");
export const KB_V4 = kmsOcid("keyversion", VAULT_PREFIX, "kb:v4");
/** Volume key lineage K1 → K2 → K3 (rotated by successor keys). */
export const K1 = key("k1", "backup-volumes-2026-04");
export const K2 = key("k2", "backup-volumes-2026-07");
export const K3 = key("k3", "backup-volumes-2026-10");

export interface BucketFixture {
  name: string;
  /** `/n/{ns}/b/{name}`: the bucket's timeline subject id. */
  path: string;
  ocid: string;
}
function bucket(name: string): BucketFixture {
  return { name, path: `/n/${NAMESPACE}/b/${name}`, ocid: regionalOcid("bucket", name, "aaaaaaaa") };
}
export const DB_BACKUPS = bucket("db-backups");
export const APP_BACKUPS = bucket("app-backups");
export const WEB_ASSETS = bucket("web-assets");

export const VOLUME = { id: regionalOcid("volume", "pg-data-vol"), name: "pg-data-vol" };
export const BOOT_VOLUME = { id: regionalOcid("bootvolume", "pg-primary-boot"), name: "pg-primary (Boot Volume)" };

/** Object Storage work request ids answered by ReencryptBucket (rotation n, bucket). */
export function reencryptWorkRequest(rotation: number, bucketName: string): string {
  return regionalOcid("objectstorageworkrequest", `r${rotation}:${bucketName}`, "aaaaaaaa");
}

export const SERVICE_CONNECTOR = regionalOcid("serviceconnector", "audit-archive", "amaaaaaa");

/** Who made a call, as the Audit `identity` block shows it. */
export interface Actor {
  principalName: string;
  principalId: string;
  authType: "natv" | "fed";
  credentials: string;
  ipAddress: string;
  userAgent: string;
  /** Console users get a console session id per day; SDK callers have none. */
  console: boolean;
  /** Signature header list as the client signs it (the signature itself is redacted). */
  signedHeaders: string;
}

const ROTATOR_USER = globalOcid("user", "keyproof-rotator");
/** keyproof itself: an API-key user calling through the TypeScript SDK from a VM. */
export const KEYPROOF: Actor = {
  principalName: "keyproof-rotator",
  principalId: ROTATOR_USER,
  authType: "natv",
  credentials: `${TENANCY}/${ROTATOR_USER}/3c:9a:51:d2:7e:04:b8:6f:11:a9:c3:5e:80:27:fd:64`,
  ipAddress: "10.20.1.15",
  userAgent: "Oracle-TypeScriptSDK/2.139.1 (linux/5.15.0-310.184.5.2.el8uek.x86_64; Node/v20.20.2)",
  console: false,
  signedHeaders: "x-date (request-target) host content-type content-length x-content-sha256",
};

const IDP = globalOcid("saml2idp", "oracleidentitycloudservice");
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36";
function consoleUser(email: string, ip: string): Actor {
  return {
    principalName: email,
    principalId: `${IDP}/${email}`,
    authType: "fed",
    credentials: "ST$<redacted-session-token>",
    ipAddress: ip,
    userAgent: BROWSER,
    console: true,
    signedHeaders: "(request-target) host accept-language content-type opc-request-id x-content-sha256 x-date",
  };
}
/** Platform admin who set the tenancy up and cancelled the deletion. */
export const MARIA = consoleUser("maria.keller@example.com", "198.51.100.24");
/** Security engineer who scheduled the key version deletion. */
export const JONAS = consoleUser("jonas.berg@example.com", "198.51.100.77");
