/** A client for CBS StatLine open data, OData v3 and v4 (see the comments at the top of v3.ts and v4.ts). */
export { CbsError, CbsMeasureError, CbsShapeError } from './errors.js';
export { CbsHttp, type HttpOptions, type RetryInfo } from './http.js';
export {
  kerncijfersForMunicipality,
  REGION_DIMENSION,
  type KwbOptions,
  type KwbResult,
  type KwbRow,
  type RegionLevel,
} from './kwb.js';
export { allOf, anyEq, containsAny, literal, type CellStatus, type DimensionCode } from './odata.js';
export {
  CbsV3,
  measureStem,
  readCell,
  resolveMeasure,
  V3_BASE_URL,
  type DataProperty,
  type DataSetQuery,
  type ResolvedMeasure,
  type TableInfo,
  type V3Row,
} from './v3.js';
export {
  CbsV4,
  observationStatus,
  pivot,
  V4_BASE_URL,
  type Dimension,
  type MeasureCode,
  type Observation,
  type ObservationQuery,
  type PivotOptions,
  type V4Options,
  type WideRow,
} from './v4.js';
