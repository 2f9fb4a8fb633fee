/**
 * DESIGN §7: secrets never reach logs. A file given to `ingest` by mistake (an OCI config, a record
 * holding a password, a token in a batch) must not be echoed in any error message, in
 * `import_run.errors_json`, in `import_file.error` or in a log line.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.js";
import { importAuditFiles } from "../../src/ingest/import-audit-files.js";
import { countAuditEvents } from "../../src/store/audit-events.js";
import { fixedClock } from "../../src/time/instant.js";
import { TEST_DIALECTS, useTestStore } from "../helpers/db.js";
import { jsonLines, loggingRecord, writeInput } from "./audit-record-factory.js";

const SECRETS = ["SuperSecretPassphrase123", "hunter2", "sk-secret-token", "aaaaaaaasecretuser", "Bearer eyJhbGciOi"];

function capturedLogger() {
  const lines: string[] = [];
  const logger = createLogger({ level: "trace", destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}

describe.each(TEST_DIALECTS)("importAuditFiles never echoes input in errors or logs (%s)", (dialect) => {
  const getStore = useTestStore(dialect);
  const file = (name: string) => path.join(getStore().dir, name);

  it("describes an OCI config, a password record and a token element by shape only", async () => {
    const configLines = [
      "[DEFAULT]",
      "user=ocid1.user.oc1..aaaaaaaasecretuser",
      "fingerprint=12:34:56",
      "key_file=~/.oci/key.pem",
      "pass_phrase=SuperSecretPassphrase123",
      "region=eu-frankfurt-1",
    ];
    const ociConfig = await writeInput(file("config"), `${configLines.join("\n")}\n`);
    const lines = await writeInput(
      file("records.jsonl"),
      [
        JSON.stringify(loggingRecord(1)),
        JSON.stringify({ password: "hunter2", user: "admin" }),
        "pass_phrase=SuperSecretPassphrase123",
        '{"authorization": "Bearer eyJhbGciOi" broken}',
        JSON.stringify({ id: "hunter2", time: "hunter2", type: "t" }),
        JSON.stringify({ "sk-secret-token": 1 }),
      ].join("\n"),
    );
    const batch = await writeInput(file("batch.json"), JSON.stringify([loggingRecord(2), "sk-secret-token", { datetime: 1, logContent: "hunter2" }]));
    const junk = await writeInput(file("pretty.json"), `${JSON.stringify(loggingRecord(3), null, 2)}\npass_phrase=SuperSecretPassphrase123\n`);

    const { logger, lines: logLines } = capturedLogger();
    const { store } = getStore();
    const result = await importAuditFiles({ store, clock: fixedClock("2026-11-29T12:00:00.000Z"), logger }, { paths: [ociConfig, lines, batch, junk] });

    // The problems are still reported, with file, line and shape.
    expect(result.errors).toEqual([
      `${ociConfig}:1: expected a JSON audit record, got invalid JSON (Unexpected token)`,
      `${ociConfig}:2: expected a JSON object or array, got ${configLines[1]?.length} bytes of text that is not JSON`,
      `${ociConfig}:3: expected a JSON object or array, got ${configLines[2]?.length} bytes of text that is not JSON`,
      `${ociConfig}:4: expected a JSON object or array, got ${configLines[3]?.length} bytes of text that is not JSON`,
      `${ociConfig}:5: expected a JSON object or array, got ${configLines[4]?.length} bytes of text that is not JSON`,
      `${ociConfig}:6: expected a JSON object or array, got ${configLines[5]?.length} bytes of text that is not JSON`,
      `${ociConfig}: not audit data: expected audit records, got 6 records none of which is one; nothing from this file was stored`,
      `${lines}:2: expected an audit record with eventId/id and eventTime/time, got a JSON object with keys [password, user]`,
      `${lines}:3: expected a JSON audit record, got invalid JSON (Unexpected token)`,
      `${lines}:4: expected a JSON audit record, got invalid JSON (Expected ',' or '}' after property value in JSON at position 38)`,
      `${lines}:5: field time: expected an ISO-8601 instant, got a string of 7 characters`,
      `${lines}:6: expected an audit record with eventId/id and eventTime/time, got a JSON object with 1 key`,
      `${batch}:1: expected an audit record with eventId/id and eventTime/time (a JSON object), got a string of 15 characters`,
      `${batch}:1: field logContent: expected a JSON object, got text that is not a JSON object`,
      `${junk}:${JSON.stringify(loggingRecord(3), null, 2).split("\n").length + 1}: expected a JSON object or array, got 36 bytes of text that is not JSON`,
    ]);
    expect(await countAuditEvents(store.db)).toBe(3);

    const run = await store.db.selectFrom("import_run").select("errors_json").executeTakeFirstOrThrow();
    const files = await store.db.selectFrom("import_file").select("error").execute();
    const stored = [run.errors_json, ...files.map((f) => f.error ?? "")].join("\n");
    expect(stored).toContain("not JSON"); // the errors were stored...
    expect(logLines.join("")).toContain("file rejected"); // ...and logged
    for (const secret of SECRETS) {
      expect(result.errors.join("\n"), secret).not.toContain(secret);
      expect(stored, secret).not.toContain(secret);
      expect(logLines.join(""), secret).not.toContain(secret);
    }
  });
});
