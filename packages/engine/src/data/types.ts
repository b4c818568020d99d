/**
 * Data item definitions with the product's settings (Questetra's data item types), and the
 * errors the data layer reports. Definitions are plain, readonly data: build them by hand or
 * read them from a BPMN document (`readDataItems`). docs/data-items.md describes every
 * setting and code.
 */

/** What every data item has. */
export interface DataItemBase {
  /** `q_` + letters, digits, underscore; unique in the App. */
  readonly fieldName: string;
  /** Unique in the App (Questetra's item number). */
  readonly number: number;
  /** The label shown in forms. */
  readonly label: string;
  /** Required wherever the item is editable, unless a step says otherwise. */
  readonly required?: boolean;
  readonly description?: string;
}

export type StringFormat = 'single' | 'multiline' | 'markdown';

export interface StringItem extends DataItemBase {
  readonly type: 'string';
  readonly format: StringFormat;
  /** In characters (Unicode code points). */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** A JavaScript regular expression (`u` flag) the whole value must match. */
  readonly pattern?: string;
}

export interface NumericItem extends DataItemBase {
  readonly type: 'numeric';
  /** At most this many digits after the point; computed values are rounded to it. */
  readonly decimalPlaces?: number;
  readonly min?: number;
  readonly max?: number;
  /** Shown before / after the number (`¥`, `kg`); never part of the value. */
  readonly prefix?: string;
  readonly suffix?: string;
  /** Display format, e.g. `1,234,567.89` (display only). */
  readonly format?: string;
  /** A FEEL expression: the item is computed and users cannot write it. */
  readonly expression?: string;
}

/** `ymd` Y/M/D, `ym` Y/M, `md` M/D, `y` Y (Questetra's date sub types 0–3). */
export type DateSubtype = 'ymd' | 'ym' | 'md' | 'y';

export interface DateItem extends DataItemBase {
  readonly type: 'date';
  readonly subtype: DateSubtype;
  /** `YYYY-MM-DD`, inclusive. */
  readonly min?: string;
  readonly max?: string;
}

export interface DatetimeItem extends DataItemBase {
  readonly type: 'datetime';
  /** ISO 8601 date-time, inclusive. */
  readonly min?: string;
  readonly max?: string;
}

/** Radio buttons, check boxes (several choices), drop-down, search select box. */
export type SelectFormType = 'radio' | 'checkbox' | 'dropdown' | 'search';
/** Fixed choices, an options master (options XML), or an HTTP source. */
export type ChoiceSource = 'fixed' | 'master' | 'http';

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export interface SelectItem extends DataItemBase {
  readonly type: 'select';
  readonly formType: SelectFormType;
  readonly source: ChoiceSource;
  /** Fixed choices (source `fixed`). */
  readonly choices?: readonly Choice[];
  /** The options master's name (source `master`). */
  readonly optionsMaster?: string;
  /** The URL answering `<items>` XML (source `http`). */
  readonly choicesUrl?: string;
  /** A select item this one depends on: each chosen id starts with one the parent has selected. */
  readonly parentItem?: string;
}

export interface UserItem extends DataItemBase {
  readonly type: 'user';
}
export interface OrganizationItem extends DataItemBase {
  readonly type: 'organization';
}
export interface FileItem extends DataItemBase {
  readonly type: 'file';
}
export interface DiscussionItem extends DataItemBase {
  readonly type: 'discussion';
  readonly maxLength?: number;
}
/** Display only: a guide panel never has a value. */
export interface GuidePanelItem extends DataItemBase {
  readonly type: 'guide';
}

export type ColumnType = 'string' | 'numeric' | 'select' | 'date';

export interface TableColumn {
  /** Letters, digits, underscore; unique in the table. Row objects are keyed by it. */
  readonly fieldName: string;
  readonly label: string;
  readonly type: ColumnType;
  readonly required?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly decimalPlaces?: number;
  /** Numeric: numbers; date: `YYYY-MM-DD`. */
  readonly min?: number | string;
  readonly max?: number | string;
  readonly prefix?: string;
  readonly suffix?: string;
  /** Numeric columns: a FEEL expression over the row's cells (and the data items). */
  readonly expression?: string;
  /** Numeric columns: show the column's sum under the table. */
  readonly total?: boolean;
  readonly choices?: readonly Choice[];
}

export interface TableItem extends DataItemBase {
  readonly type: 'table';
  readonly minRows?: number;
  readonly maxRows?: number;
  readonly columns: readonly TableColumn[];
}

export type DataItemDef =
  | StringItem
  | NumericItem
  | DateItem
  | DatetimeItem
  | SelectItem
  | UserItem
  | OrganizationItem
  | FileItem
  | TableItem
  | DiscussionItem
  | GuidePanelItem;

export type DataItemKind = DataItemDef['type'];

/** A file reference as stored in a file item (the bytes live elsewhere). */
export interface FileRef {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
}

/** Stable error codes of the data layer (add, never rename). */
export const DataErrorCodes = {
  /** A definition problem: bad field name, duplicate name or number, bad regex, min > max... */
  BadDefinition: 'BAD_DEFINITION',
  UnknownItem: 'UNKNOWN_ITEM',
  Required: 'REQUIRED',
  WrongType: 'WRONG_TYPE',
  TooShort: 'TOO_SHORT',
  TooLong: 'TOO_LONG',
  PatternMismatch: 'PATTERN_MISMATCH',
  NewlineNotAllowed: 'NEWLINE_NOT_ALLOWED',
  TooManyDecimals: 'TOO_MANY_DECIMALS',
  BelowMin: 'BELOW_MIN',
  AboveMax: 'ABOVE_MAX',
  BadDate: 'BAD_DATE',
  DateSubtype: 'DATE_SUBTYPE',
  BadDatetime: 'BAD_DATETIME',
  UnknownChoice: 'UNKNOWN_CHOICE',
  TooManyChoices: 'TOO_MANY_CHOICES',
  DuplicateChoice: 'DUPLICATE_CHOICE',
  NotUnderParent: 'NOT_UNDER_PARENT',
  BadReference: 'BAD_REFERENCE',
  BadFile: 'BAD_FILE',
  DuplicateFile: 'DUPLICATE_FILE',
  TooFewRows: 'TOO_FEW_ROWS',
  TooManyRows: 'TOO_MANY_ROWS',
  BadRow: 'BAD_ROW',
  UnknownColumn: 'UNKNOWN_COLUMN',
  NoValue: 'NO_VALUE',
  Computed: 'COMPUTED',
  ReadOnly: 'READ_ONLY',
  Hidden: 'HIDDEN',
  ComputeFailed: 'COMPUTE_FAILED',
  ComputeCycle: 'COMPUTE_CYCLE',
} as const;

export type DataErrorCode = (typeof DataErrorCodes)[keyof typeof DataErrorCodes];

/** One problem with one item's value (or definition). `row` is 1-based. */
export interface DataError {
  readonly code: DataErrorCode;
  readonly fieldName: string;
  readonly label?: string;
  readonly row?: number;
  readonly column?: string;
  /** Names the item (`q_amount (Amount)`), and for tables the row and column. */
  readonly message: string;
}

/** Field name → value: the plain JSON the engine keeps (see docs/engine.md, Data items). */
export type { DataValues } from '../model/state.js';
