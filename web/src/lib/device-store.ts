// Where the changes an assistant makes without a connection are kept: IndexedDB (the `karta`
// database, store `pending`, one record per change, keyed by the change's stable key). It is
// transactional, survives a closed tab, a reload and a restarted phone, is not limited to the
// few megabytes of localStorage, and is shared by the tabs of the site. A browser that gives no
// IndexedDB (some private modes) keeps the changes in localStorage instead, as before.
import { openDB, type IDBPDatabase } from "idb";

/** What is stored for one change: its key and its place in the order of sending. */
export type StoredChange = { key: string; seq: number };

export interface ChangeStore<T extends StoredChange> {
  readonly kind: "indexeddb" | "localstorage";
  /** Every kept change, in the order they are to be sent. */
  all(): Promise<T[]>;
  /** Writes and removes in one transaction; resolves once it is on the device. */
  write(puts: T[], removes: string[]): Promise<void>;
}

const DB_NAME = "karta";
const STORE = "pending";
/** Where the queue was kept before IndexedDB (moved over once, then removed). */
export const LEGACY_KEY = "karta.pending";

const bySeq = (a: StoredChange, b: StoredChange) => a.seq - b.seq;

class IndexedDbStore<T extends StoredChange> implements ChangeStore<T> {
  readonly kind = "indexeddb";
  constructor(private readonly db: IDBPDatabase) {}
  async all(): Promise<T[]> {
    return ((await this.db.getAll(STORE)) as T[]).sort(bySeq);
  }
  async write(puts: T[], removes: string[]): Promise<void> {
    const tx = this.db.transaction(STORE, "readwrite", { durability: "strict" });
    for (const key of removes) void tx.store.delete(key);
    for (const change of puts) void tx.store.put(change);
    await tx.done;
  }
}

class LocalStorageStore<T extends StoredChange> implements ChangeStore<T> {
  readonly kind = "localstorage";
  async all(): Promise<T[]> {
    return readLegacy<T>();
  }
  async write(puts: T[], removes: string[]): Promise<void> {
    const gone = new Set([...removes, ...puts.map((c) => c.key)]);
    const next = [...readLegacy<T>().filter((c) => !gone.has(c.key)), ...puts].sort(bySeq);
    localStorage.setItem(LEGACY_KEY, JSON.stringify(next));
  }
}

/** The changes kept in localStorage; those from before `seq` keep their order. */
function readLegacy<T extends StoredChange>(): T[] {
  try {
    const kept = JSON.parse(localStorage.getItem(LEGACY_KEY) ?? "[]") as T[];
    return kept.map((c, i) => ({ ...c, seq: c.seq ?? i + 1 })).sort(bySeq);
  } catch {
    return [];
  }
}

/**
 * Opens the device's store of kept changes. Changes an older version of the app kept in
 * localStorage are moved into IndexedDB in one transaction, and only then removed there.
 */
export async function openChangeStore<T extends StoredChange>(): Promise<ChangeStore<T>> {
  let db: IDBPDatabase;
  try {
    if (typeof indexedDB === "undefined") throw new Error("no IndexedDB");
    db = await openDB(DB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore(STORE, { keyPath: "key" });
      },
    });
  } catch (error) {
    console.warn("karta: no IndexedDB, changes kept in localStorage", error);
    return new LocalStorageStore<T>();
  }
  const store = new IndexedDbStore<T>(db);
  const legacy = readLegacy<T>();
  if (legacy.length) {
    const kept = new Set((await store.all()).map((c) => c.key));
    // after the changes already in IndexedDB, in their own order
    const base = Date.now();
    await store.write(legacy.filter((c) => !kept.has(c.key)).map((c, i) => ({ ...c, seq: base + i })), []);
  }
  if (localStorage.getItem(LEGACY_KEY) !== null) localStorage.removeItem(LEGACY_KEY);
  return store;
}
