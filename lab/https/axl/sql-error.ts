// Informix errors as AXL returns them in axlError (axlcode = the Informix SQLCODE). Message
// texts are Informix's own ("A syntax error has occurred." is -201).

export class SqlError extends Error {
  override name = 'SqlError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const syntaxError = () => new SqlError(-201, 'A syntax error has occurred.');
export const noSuchTable = (t: string) => new SqlError(-206, `The specified table (${t}) is not in the database.`);
export const noSuchColumn = (c: string) =>
  new SqlError(-217, `Column (${c}) not found in any table in the query (or SLV is undefined).`);
export const notInGroupBy = (c: string) => new SqlError(-294, `The column (${c}) must be in the GROUP BY list.`);
export const numericConversion = () => new SqlError(-1213, 'A character to numeric conversion process failed.');
