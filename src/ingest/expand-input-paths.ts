/**
 * Turns the paths a user gave into the list of files to import: files as given, directories
 * walked recursively in sorted order (code-point order, the same on every machine and locale),
 * hidden entries (`.name`) and non-regular files skipped, each file once.
 */
import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { ValidationError } from "../app/errors.js";

async function walk(dir: string, seenDirs: Set<string>, out: string[]): Promise<void> {
  const real = await realpath(dir);
  if (seenDirs.has(real)) return; // a symlink loop
  seenDirs.add(real);
  const names = (await readdir(dir)).filter((n) => !n.startsWith(".")).sort();
  for (const name of names) {
    const full = path.join(dir, name);
    let info;
    try {
      info = await stat(full);
    } catch {
      continue; // a dangling symlink or an entry removed meanwhile
    }
    if (info.isDirectory()) await walk(full, seenDirs, out);
    else if (info.isFile()) out.push(full);
  }
}

/**
 * Expands `paths` (files or directories) into files, in the order given, directories sorted.
 * Throws a ValidationError naming every path that does not exist or is neither a file nor a
 * directory, and when the result is empty; nothing is read or written before that.
 */
export async function expandInputPaths(paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) throw new ValidationError("no input paths given: expected one or more files or directories");
  const problems: string[] = [];
  const files: string[] = [];
  const seenDirs = new Set<string>();
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(code === "ENOENT" ? `${p}: no such file or directory` : `${p}: cannot be read (${code ?? String(err)})`);
      continue;
    }
    if (info.isDirectory()) {
      const before = files.length;
      await walk(p, seenDirs, files);
      if (files.length === before) problems.push(`${p}: directory holds no files to import (hidden files are skipped)`);
    } else if (info.isFile()) {
      files.push(p);
    } else {
      problems.push(`${p}: not a regular file or directory`);
    }
  }
  if (problems.length > 0) throw new ValidationError(`cannot import: ${problems.join("; ")}`, problems);

  const seenFiles = new Set<string>();
  const unique: string[] = [];
  for (const f of files) {
    const real = await realpath(f);
    if (seenFiles.has(real)) continue;
    seenFiles.add(real);
    unique.push(f);
  }
  return unique;
}
