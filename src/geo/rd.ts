/**
 * Rijksdriehoek (RD New, EPSG:28992) ⇄ WGS84 (EPSG:4326) with the approximation series of
 * F.H. Schreutelkamp and G.L. Strang van Hees ("Benaderingsformules voor de transformatie tussen
 * RD- en WGS84-kaartcoördinaten", 2001). Accuracy is about a metre inside the Netherlands — good
 * for maps and for placing points in buurten; use RDNAPTRANS™ where centimetres matter.
 */

const X0 = 155000;
const Y0 = 463000;
const PHI0 = 52.1551744;
const LAM0 = 5.38720621;

/** [p, q, K]: φ-terms Kpq·dX^p·dY^q (arc seconds). */
const K: readonly (readonly [number, number, number])[] = [
  [0, 1, 3235.65389],
  [2, 0, -32.58297],
  [0, 2, -0.2475],
  [2, 1, -0.84978],
  [0, 3, -0.0655],
  [2, 2, -0.01709],
  [1, 0, -0.00738],
  [4, 0, 0.0053],
  [2, 3, -0.00039],
  [4, 1, 0.00033],
  [1, 1, -0.00012],
];

/** [p, q, L]: λ-terms Lpq·dX^p·dY^q (arc seconds). */
const L: readonly (readonly [number, number, number])[] = [
  [1, 0, 5260.52916],
  [1, 1, 105.94684],
  [1, 2, 2.45656],
  [3, 0, -0.81885],
  [1, 3, 0.05594],
  [3, 1, -0.05607],
  [0, 1, 0.01199],
  [3, 2, -0.00256],
  [1, 4, 0.00128],
  [0, 2, 0.00022],
  [2, 0, -0.00022],
  [5, 0, 0.00026],
];

/** [p, q, R]: X-terms Rpq·dφ^p·dλ^q (metres). */
const R: readonly (readonly [number, number, number])[] = [
  [0, 1, 190094.945],
  [1, 1, -11832.228],
  [2, 1, -114.221],
  [0, 3, -32.391],
  [1, 0, -0.705],
  [3, 1, -2.34],
  [1, 3, -0.608],
  [0, 2, -0.008],
  [2, 3, 0.148],
];

/** [p, q, S]: Y-terms Spq·dφ^p·dλ^q (metres). */
const S: readonly (readonly [number, number, number])[] = [
  [1, 0, 309056.544],
  [0, 2, 3638.893],
  [2, 0, 73.077],
  [1, 2, -157.984],
  [3, 0, 59.788],
  [0, 1, 0.433],
  [2, 2, -6.439],
  [1, 1, -0.032],
  [0, 4, 0.092],
  [1, 4, -0.054],
];

function series(terms: readonly (readonly [number, number, number])[], a: number, b: number): number {
  const pa = [1, a, a * a, a * a * a, a * a * a * a, a * a * a * a * a];
  const pb = [1, b, b * b, b * b * b, b * b * b * b, b * b * b * b * b];
  let sum = 0;
  for (const [p, q, c] of terms) sum += c * (pa[p] as number) * (pb[q] as number);
  return sum;
}

/** RD x, y (metres) → WGS84 longitude, latitude (degrees). */
export function rdToWgs84(x: number, y: number): { lon: number; lat: number } {
  const dX = (x - X0) * 1e-5;
  const dY = (y - Y0) * 1e-5;
  return { lat: PHI0 + series(K, dX, dY) / 3600, lon: LAM0 + series(L, dX, dY) / 3600 };
}

/** WGS84 longitude, latitude (degrees) → RD x, y (metres). */
export function wgs84ToRd(lon: number, lat: number): { x: number; y: number } {
  const dPhi = 0.36 * (lat - PHI0);
  const dLam = 0.36 * (lon - LAM0);
  return { x: X0 + series(R, dPhi, dLam), y: Y0 + series(S, dPhi, dLam) };
}
