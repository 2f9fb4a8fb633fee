/**
 * OCI credentials for the three deployments DESIGN §1 names (container or VM with a config file,
 * a VM with instance principals, an OCI Function with resource principals), following OCI's
 * usual conventions (config.oci.authMode):
 * - `config-file`: the OCI config file (`~` expanded; OCI_CONFIG_FILE / OCI_CLI_PROFILE fill
 *   oci.configFile / oci.profile, see config.ts) with an API-key profile (user, fingerprint,
 *   tenancy, key_file, optional pass_phrase, region; or security_token_file), read with the SDK's
 *   ConfigFileReader into its SimpleAuthenticationDetailsProvider; refresh re-reads the file and
 *   the key (a rotated key file is picked up).
 * - `instance-principal`: the SDK's InstancePrincipalsAuthenticationDetailsProviderBuilder (instance
 *   metadata service + federation); refresh fetches a new token.
 * - `resource-principal`: resource-principal-provider.ts (OCI_RESOURCE_PRINCIPAL_* env); refresh
 *   re-reads the token and key files.
 * oci.region, when set, wins over the region the credentials carry; oci.tenancy over their tenancy.
 * Errors name the config field, env var or file, never key material or tokens.
 */
import { createPrivateKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import * as common from "oci-common";
import { AppError, ValidationError } from "../app/errors.js";
import type { Config } from "../app/config.js";
import { createResourcePrincipal, regionFrom } from "./resource-principal-provider.js";
import { SwappableAuthProvider } from "./swappable-auth-provider.js";
import type { Refreshable } from "./with-retry.js";

export type OciAuthMode = Config["oci"]["authMode"];

/** Credentials in use: one provider object for every client, and a refresh for the retry layer. */
export interface OciAuth extends Refreshable {
  readonly mode: OciAuthMode;
  /** Pass this to every client (it stays the same object across refreshes). */
  readonly provider: SwappableAuthProvider;
  readonly tenancyId: string;
  /** Region id, e.g. `us-ashburn-1`. */
  readonly region: string;
  /** Re-reads or re-fetches the credentials (called by the retry layer after a 401). */
  refresh(): Promise<void>;
  /** Releases the provider's timers (instance principal federation client). */
  close(): void;
}

export interface CreateAuthOptions {
  /** Environment to read (default process.env): HOME for `~`, OCI_RESOURCE_PRINCIPAL_*. */
  env?: Record<string, string | undefined>;
  /** Instance principal: instance metadata base URL (default the SDK's http://169.254.169.254/opc/v2/). */
  instanceMetadataUrl?: string;
}

type OciSettings = Pick<Config["oci"], "authMode" | "configFile" | "profile" | "region" | "tenancy">;

/** `~` and `~/x` → the home directory (env.HOME, else the OS's). */
export function expandHome(file: string, env: Record<string, string | undefined>): string {
  if (file !== "~" && !file.startsWith("~/")) return file;
  return path.join(env.HOME || homedir(), file.slice(1));
}

/** Reads and checks one API-key profile; errors say which file, profile and entry are wrong. */
function readProfile(file: string, oci: OciSettings, env: Record<string, string | undefined>): { provider: common.SimpleAuthenticationDetailsProvider; tenancyId: string; region: common.Region } {
  const where = `profile [${oci.profile}] of OCI config file ${file}`;
  if (!existsSync(file)) throw new ValidationError(`oci.configFile: OCI config file ${file} does not exist (set oci.configFile or OCI_CONFIG_FILE)`);
  let parsed: ReturnType<typeof common.ConfigFileReader.parseFileFromPath>;
  try {
    parsed = parseQuietly(file, oci.profile);
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    // The SDK's parse errors quote the offending line, which may hold a pass_phrase: not repeated.
    if (message.startsWith("No profile named")) throw new ValidationError(`oci.profile: no ${where} (set oci.profile or OCI_CLI_PROFILE)`);
    throw new ValidationError(`oci.configFile: ${file} is not a valid OCI config file (every line must be key=value inside a [PROFILE] section)`);
  }
  const sessionTokenFile = parsed.get("security_token_file");
  const missing = ["tenancy", "user", "fingerprint", "key_file"].filter((k) => !parsed.get(k) && !(k === "user" && sessionTokenFile));
  if (missing.length > 0) throw new ValidationError(`oci.profile: ${where} has no ${missing.join(", ")}`);
  const keyFile = common.ConfigFileReader.expandUserHome(parsed.get("key_file")!);
  const passphrase = parsed.get("pass_phrase");
  const privateKey = readEntryFile(keyFile, `key_file ${keyFile} of ${where}`);
  try {
    createPrivateKey({ key: privateKey, passphrase: passphrase ?? undefined });
  } catch {
    throw new ValidationError(`oci.profile: key_file ${keyFile} of ${where} is not a private key that can be opened${passphrase ? " with its pass_phrase" : ""}`);
  }
  const sessionToken = sessionTokenFile
    ? readEntryFile(common.ConfigFileReader.expandUserHome(sessionTokenFile), `security_token_file of ${where}`).trim()
    : undefined;
  const regionId = oci.region ?? parsed.get("region") ?? env.OCI_REGION;
  if (!regionId) throw new ValidationError(`oci.region: neither oci.region, OCI_REGION nor region in ${where} is set`);
  const region = regionFrom(regionId, oci.region ? "oci.region" : `region in ${where}`);
  // What the SDK's ConfigFileAuthenticationDetailsProvider builds from a profile (config-file-auth.js),
  // built here so that oci.region and the given env count and errors can name the entry.
  const provider = new common.SimpleAuthenticationDetailsProvider(
    parsed.get("tenancy")!, sessionToken ? "" : parsed.get("user")!, parsed.get("fingerprint")!, privateKey, passphrase, region,
    undefined, undefined, parsed.profileCredentials, sessionToken,
  );
  return { provider, tenancyId: parsed.get("tenancy")!, region };
}

/**
 * The SDK's own config parser, which prints "No DEFAULT profile was specified in the configuration"
 * with console.info (stdout) for a file without a [DEFAULT] section; that line would corrupt
 * `keyproof rotate --json` output. The parse is synchronous, so console.info is muted only for it.
 */
function parseQuietly(file: string, profile: string): ReturnType<typeof common.ConfigFileReader.parseFileFromPath> {
  const info = console.info;
  console.info = () => undefined;
  try {
    return common.ConfigFileReader.parseFileFromPath(file, profile);
  } finally {
    console.info = info;
  }
}

function readEntryFile(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new ValidationError(`oci.profile: ${what} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

async function configFileAuth(oci: OciSettings, env: Record<string, string | undefined>): Promise<OciAuth> {
  const file = expandHome(oci.configFile, env);
  const first = readProfile(file, oci, env);
  const swappable = new SwappableAuthProvider(first.provider, first.region);
  return {
    mode: "config-file", provider: swappable, tenancyId: oci.tenancy ?? first.tenancyId, region: first.region.regionId,
    async refresh() {
      swappable.swap(readProfile(file, oci, env).provider);
    },
    close() {},
  };
}

async function instancePrincipalAuth(oci: OciSettings, options: CreateAuthOptions): Promise<OciAuth> {
  const builder = new common.InstancePrincipalsAuthenticationDetailsProviderBuilder();
  if (options.instanceMetadataUrl) builder.metadataBaseUrl = options.instanceMetadataUrl;
  let provider: Awaited<ReturnType<typeof builder.build>>;
  try {
    provider = await builder.build();
  } catch (error) {
    const message = String((error as Error)?.message ?? error).split("\n")[0];
    throw new AppError("PRECONDITION_FAILED", `oci.authMode instance-principal: no instance principal from the instance metadata service at ${builder.metadataBaseUrl} (is keyproof running on an OCI compute instance in a dynamic group?): ${message}`);
  }
  const region = oci.region ? regionFrom(oci.region, "oci.region") : provider.getRegion();
  return {
    mode: "instance-principal", provider: new SwappableAuthProvider(provider, region), tenancyId: oci.tenancy ?? builder.tenancyId, region: region.regionId,
    async refresh() {
      await provider.refresh();
    },
    close() {
      provider.closeProvider();
    },
  };
}

async function resourcePrincipalAuth(oci: OciSettings, env: Record<string, string | undefined>): Promise<OciAuth> {
  const rp = await createResourcePrincipal(env);
  const region = oci.region ? regionFrom(oci.region, "oci.region") : rp.region;
  return {
    mode: "resource-principal", provider: new SwappableAuthProvider(rp.provider, region), tenancyId: oci.tenancy ?? rp.tenancyId, region: region.regionId,
    async refresh() {
      await rp.provider.refresh();
    },
    close() {
      rp.provider.closeProvider();
    },
  };
}

/**
 * Builds the credentials for `oci.authMode`.
 * @throws ValidationError naming the config field, env var or file that is missing or wrong.
 * @throws AppError PRECONDITION_FAILED when instance principals are not available (no metadata service).
 */
export async function createAuthProvider(oci: OciSettings, options: CreateAuthOptions = {}): Promise<OciAuth> {
  const env = options.env ?? process.env;
  switch (oci.authMode) {
    case "config-file":
      return configFileAuth(oci, env);
    case "instance-principal":
      return instancePrincipalAuth(oci, options);
    case "resource-principal":
      return resourcePrincipalAuth(oci, env);
  }
}
