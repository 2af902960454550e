// Draws images/icon.png (the Marketplace icon, 256x256): a shield divided by bulkhead walls,
// on a rounded dark square. No image library: a 4x4-supersampled rasteriser and a PNG encoder.
// Run: node images/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 256;
const SS = 4;
const BG = [31, 42, 68];
const ACCENT = [63, 182, 168];

/** The shield's outline at scale k (1 = outer edge): flat top, straight sides, curved to a point. */
function inShield(x, y, k) {
  const cx = 128;
  const top = 128 - 92 * k;
  const half = 76 * k;
  const sideEnd = 128 + 4 * k;
  const tip = 128 + 96 * k;
  if (y < top || y > tip) return false;
  if (y <= sideEnd) return Math.abs(x - cx) <= half;
  const t = (y - sideEnd) / (tip - sideEnd); // 0..1 down the curve
  return Math.abs(x - cx) <= half * Math.sqrt(1 - t * t);
}

function inRoundedSquare(x, y) {
  const r = 44;
  const lo = 8;
  const hi = 248;
  if (x < lo || x > hi || y < lo || y > hi) return false;
  const dx = x < lo + r ? lo + r - x : x > hi - r ? x - (hi - r) : 0;
  const dy = y < lo + r ? lo + r - y : y > hi - r ? y - (hi - r) : 0;
  return dx * dx + dy * dy <= r * r;
}

/** Colour and coverage of one sample point. */
function sample(x, y) {
  if (!inRoundedSquare(x, y)) return null;
  if (inShield(x, y, 1) && !inShield(x, y, 0.8)) return ACCENT; // the rim
  if (inShield(x, y, 0.8)) {
    // three compartments: horizontal walls, cut by a vertical wall
    const wall = [[88, 100], [120, 132], [152, 164]].some(([a, b]) => y >= a && y <= b);
    const spine = Math.abs(x - 128) <= 6;
    if (wall && !spine && inShield(x, y, 0.66)) return ACCENT;
  }
  return BG;
}

const rgba = Buffer.alloc(N * N * 4);
for (let py = 0; py < N; py++) {
  for (let px = 0; px < N; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a++;
      }
    }
    const i = (py * N + px) * 4;
    if (a) {
      rgba[i] = Math.round(r / a);
      rgba[i + 1] = Math.round(g / a);
      rgba[i + 2] = Math.round(b / a);
      rgba[i + 3] = Math.round((255 * a) / (SS * SS));
    }
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) rgba.copy(raw, y * (N * 4 + 1) + 1, y * N * 4, (y + 1) * N * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`images/icon.png: ${N}x${N}, ${png.length} bytes`);
