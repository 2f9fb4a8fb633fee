/**
 * Block Volume reads (OCI-NOTES §2.5): Get and List for volumes, boot volumes, volume backups and
 * boot volume backups. Lists are bare arrays with `opc-next-page`, filtered by compartment (required)
 * and the per-kind filters the SDK sends, sorted by TIMECREATED (newest first) or DISPLAYNAME.
 */
import { etagOf } from "../http/etag.js";
import { paginate, sortForList } from "../http/paginate.js";
import { requiredQuery } from "../http/query-params.js";
import type { OpContext, SimOperation } from "../sim-service.js";
import { notFound } from "../sim-error.js";
import type { SimState } from "../state/sim-state.js";
import { backupJson, volumeJson, type BackupRecord, type VolumeRecord } from "./block-json.js";

type Kind<R> = {
  /** OCI resource name in operation names: Volume, BootVolume, VolumeBackup, BootVolumeBackup. */
  noun: string;
  /** Path segment: volumes, bootVolumes, volumeBackups, bootVolumeBackups. */
  segment: string;
  records(state: SimState): Map<string, R>;
  json(state: SimState, record: R): Record<string, unknown>;
  /** Query filters beyond compartmentId: name → predicate. */
  filters: Record<string, (record: R, value: string) => boolean>;
};

const byName = { displayName: (r: { displayName: string }, v: string) => r.displayName === v };
const byState = { lifecycleState: (r: { lifecycleState: string }, v: string) => r.lifecycleState === v };
const byAd = { availabilityDomain: (r: { availabilityDomain: string }, v: string) => r.availabilityDomain === v };
const sourceSize = (state: SimState, id: string) => (state.volumes.get(id) ?? state.bootVolumes.get(id))?.sizeInGBs;

export const VOLUME_KINDS = {
  volume: { noun: "Volume", segment: "volumes", records: (s) => s.volumes, json: (_s, r) => volumeJson(r), filters: { ...byAd, ...byName, ...byState } } as Kind<VolumeRecord>,
  bootVolume: { noun: "BootVolume", segment: "bootVolumes", records: (s) => s.bootVolumes, json: (_s, r) => volumeJson(r), filters: { ...byAd } } as Kind<VolumeRecord>,
  volumeBackup: {
    noun: "VolumeBackup", segment: "volumeBackups", records: (s) => s.volumeBackups, json: (s, r) => backupJson(r, "volumeId", sourceSize(s, r.sourceId)),
    filters: { ...byName, ...byState, volumeId: (r, v) => r.sourceId === v },
  } as Kind<BackupRecord>,
  bootVolumeBackup: {
    noun: "BootVolumeBackup", segment: "bootVolumeBackups", records: (s) => s.bootVolumeBackups, json: (s, r) => backupJson(r, "bootVolumeId", sourceSize(s, r.sourceId)),
    filters: { ...byName, ...byState, bootVolumeId: (r, v) => r.sourceId === v },
  } as Kind<BackupRecord>,
};

/** The record of the path's id (404 when unknown); fills the audit details. */
export function recordParam<R extends { id: string; compartmentId: string; displayName: string }>(ctx: OpContext, kind: Kind<R>, param: string): R {
  const id = ctx.params[param] ?? "";
  const record = kind.records(ctx.state).get(id);
  if (!record) throw notFound(kind.noun, id);
  Object.assign(ctx.audit, { compartmentId: record.compartmentId, resourceId: record.id, resourceName: record.displayName });
  return record;
}

function readOperations<R extends VolumeRecord | BackupRecord>(kind: Kind<R>): SimOperation[] {
  const param = `${kind.noun.charAt(0).toLowerCase()}${kind.noun.slice(1)}Id`;
  return [
    {
      name: `Get${kind.noun}`, method: "GET", path: `/20160918/${kind.segment}/:${param}`, write: false,
      handle(ctx) {
        const record = recordParam(ctx, kind, param);
        return { body: kind.json(ctx.state, record), headers: { etag: etagOf(record) } };
      },
    },
    {
      name: `List${kind.noun}s`, method: "GET", path: `/20160918/${kind.segment}`, write: false,
      handle(ctx) {
        const compartmentId = requiredQuery(ctx.query, "compartmentId");
        ctx.audit.compartmentId = compartmentId;
        const wanted = Object.entries(kind.filters).flatMap(([name, test]) => {
          const value = ctx.query.get(name);
          return value ? [(r: R) => test(r, value)] : [];
        });
        const items = [...kind.records(ctx.state).values()].filter((r) => r.compartmentId === compartmentId && wanted.every((w) => w(r)));
        const page = paginate(ctx, sortForList(ctx, items, (r) => r.displayName));
        return { body: page.items.map((r) => kind.json(ctx.state, r)), headers: page.headers };
      },
    },
  ];
}

export const VOLUME_READ_OPERATIONS: readonly SimOperation[] = [
  ...readOperations(VOLUME_KINDS.volume), ...readOperations(VOLUME_KINDS.bootVolume),
  ...readOperations(VOLUME_KINDS.volumeBackup), ...readOperations(VOLUME_KINDS.bootVolumeBackup),
];
