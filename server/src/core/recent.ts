/**
 * Sets `key` as the newest entry of an insertion-ordered map and drops the oldest entries past
 * `max`: the bound of the per-document caches (the documents analysed last are the ones typed into).
 */
export function setRecent<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  for (const k of map.keys()) {
    if (map.size <= max) break;
    map.delete(k);
  }
}
