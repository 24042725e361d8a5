/**
 * A north-up raster over a lon/lat box (row 0 at the north edge). Cell sizes are in degrees;
 * metric sizes at the county's latitude are derived for slopes and costs.
 */
export interface Box {
  west: number;
  south: number;
  east: number;
  north: number;
}

const M_PER_DEG_LAT = 110_940; // at ~28° N (WGS84 meridional degree)

export class Raster {
  readonly data: Float64Array;
  readonly cellM: { x: number; y: number };

  constructor(
    readonly box: Box,
    readonly width: number,
    readonly height: number,
    data?: Float64Array,
  ) {
    this.data = data ?? new Float64Array(width * height);
    const lat = (box.south + box.north) / 2;
    this.cellM = {
      x: ((box.east - box.west) / width) * M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180),
      y: ((box.north - box.south) / height) * M_PER_DEG_LAT,
    };
  }

  static covering(box: Box, cellDegX: number, cellDegY: number): Raster {
    const width = Math.ceil((box.east - box.west) / cellDegX);
    const height = Math.ceil((box.north - box.south) / cellDegY);
    return new Raster(
      {
        west: box.west,
        north: box.north,
        east: box.west + width * cellDegX,
        south: box.north - height * cellDegY,
      },
      width,
      height,
    );
  }

  get size(): number {
    return this.width * this.height;
  }

  index(col: number, row: number): number {
    return row * this.width + col;
  }

  /** Centre of a cell, [lon, lat]. */
  lonLat(i: number): [number, number] {
    const col = i % this.width;
    const row = Math.floor(i / this.width);
    return [
      this.box.west + ((col + 0.5) / this.width) * (this.box.east - this.box.west),
      this.box.north - ((row + 0.5) / this.height) * (this.box.north - this.box.south),
    ];
  }

  /** Cell index containing [lon, lat], or -1 outside. */
  cellAt(lon: number, lat: number): number {
    const col = Math.floor(((lon - this.box.west) / (this.box.east - this.box.west)) * this.width);
    const row = Math.floor(
      ((this.box.north - lat) / (this.box.north - this.box.south)) * this.height,
    );
    if (col < 0 || row < 0 || col >= this.width || row >= this.height) return -1;
    return this.index(col, row);
  }

  /** Bilinear sample at [lon, lat] (clamped at the edges). */
  sample(lon: number, lat: number): number {
    const fx = ((lon - this.box.west) / (this.box.east - this.box.west)) * this.width - 0.5;
    const fy = ((this.box.north - lat) / (this.box.north - this.box.south)) * this.height - 0.5;
    const x0 = Math.max(0, Math.min(this.width - 1, Math.floor(fx)));
    const y0 = Math.max(0, Math.min(this.height - 1, Math.floor(fy)));
    const x1 = Math.min(this.width - 1, x0 + 1);
    const y1 = Math.min(this.height - 1, y0 + 1);
    const tx = Math.max(0, Math.min(1, fx - x0));
    const ty = Math.max(0, Math.min(1, fy - y0));
    const d = this.data;
    const top =
      (d[y0 * this.width + x0] as number) * (1 - tx) + (d[y0 * this.width + x1] as number) * tx;
    const bottom =
      (d[y1 * this.width + x0] as number) * (1 - tx) + (d[y1 * this.width + x1] as number) * tx;
    return top * (1 - ty) + bottom * ty;
  }

  /** The 8 neighbours of a cell with their distance in metres. */
  neighbours(i: number, out: { j: number; d: number }[] = []): { j: number; d: number }[] {
    out.length = 0;
    const col = i % this.width;
    const row = (i - col) / this.width;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === 0 && dy === 0) continue;
        const c = col + dx;
        const r = row + dy;
        if (c < 0 || r < 0 || c >= this.width || r >= this.height) continue;
        out.push({ j: r * this.width + c, d: Math.hypot(dx * this.cellM.x, dy * this.cellM.y) });
      }
    return out;
  }

  /** Slope in degrees at a cell (central differences). */
  slopeDeg(i: number): number {
    const col = i % this.width;
    const row = (i - col) / this.width;
    const at = (c: number, r: number) =>
      this.data[
        Math.max(0, Math.min(this.height - 1, r)) * this.width +
          Math.max(0, Math.min(this.width - 1, c))
      ] as number;
    const dzdx = (at(col + 1, row) - at(col - 1, row)) / (2 * this.cellM.x);
    const dzdy = (at(col, row + 1) - at(col, row - 1)) / (2 * this.cellM.y);
    return (Math.atan(Math.hypot(dzdx, dzdy)) * 180) / Math.PI;
  }
}
