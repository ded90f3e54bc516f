/**
 * A dense row-major matrix of float64 values: the one shape every numeric module exchanges.
 * Checked once at the numeric entry points (STYLE §8), trusted inside hot loops.
 */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values: element (r, c) is `data[r * cols + c]`. Length is `rows * cols`. */
  readonly data: Float64Array;
}

/** Creates a matrix, checking that the data length matches the shape. */
export function denseMatrix(
  rows: number,
  cols: number,
  data: Float64Array = new Float64Array(rows * cols),
): DenseMatrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`invalid matrix shape ${rows}x${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`matrix data has ${data.length} values, shape ${rows}x${cols} needs ${rows * cols}`);
  }
  return { rows, cols, data };
}

/** Copies the given rows (in order) into a new matrix. */
export function selectRows(m: DenseMatrix, rowIndices: ArrayLike<number>): DenseMatrix {
  const out = new Float64Array(rowIndices.length * m.cols);
  for (let i = 0; i < rowIndices.length; i++) {
    const r = rowIndices[i] as number;
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return { rows: rowIndices.length, cols: m.cols, data: out };
}
