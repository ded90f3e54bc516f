/**
 * The pickle opcodes of protocols 0–5, by the names CPython's `pickle.py` gives them. Text protocol
 * opcodes are printable characters, shown beside them; the rest are protocol 2+ binary opcodes.
 */
export const OP = Object.freeze({
  // Framing and protocol
  PROTO: 0x80,
  FRAME: 0x95,
  STOP: 0x2e, // '.'

  // Constants and numbers
  NONE: 0x4e, // 'N'
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  INT: 0x49, // 'I' (protocol 0, also True/False as I01/I00)
  BININT: 0x4a, // 'J'
  BININT1: 0x4b, // 'K'
  BININT2: 0x4d, // 'M'
  LONG: 0x4c, // 'L'
  LONG1: 0x8a,
  LONG4: 0x8b,
  FLOAT: 0x46, // 'F'
  BINFLOAT: 0x47, // 'G'

  // Text and bytes
  STRING: 0x53, // 'S'
  BINSTRING: 0x54, // 'T'
  SHORT_BINSTRING: 0x55, // 'U'
  UNICODE: 0x56, // 'V'
  BINUNICODE: 0x58, // 'X'
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE8: 0x8d,
  BINBYTES: 0x42, // 'B'
  SHORT_BINBYTES: 0x43, // 'C'
  BINBYTES8: 0x8e,
  BYTEARRAY8: 0x96,
  NEXT_BUFFER: 0x97,
  READONLY_BUFFER: 0x98,

  // Containers
  MARK: 0x28, // '('
  EMPTY_LIST: 0x5d, // ']'
  EMPTY_DICT: 0x7d, // '}'
  EMPTY_TUPLE: 0x29, // ')'
  EMPTY_SET: 0x8f,
  LIST: 0x6c, // 'l'
  TUPLE: 0x74, // 't'
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  DICT: 0x64, // 'd'
  FROZENSET: 0x91,
  APPEND: 0x61, // 'a'
  APPENDS: 0x65, // 'e'
  SETITEM: 0x73, // 's'
  SETITEMS: 0x75, // 'u'
  ADDITEMS: 0x90,

  // Stack and memo
  POP: 0x30, // '0'
  POP_MARK: 0x31, // '1'
  DUP: 0x32, // '2'
  PUT: 0x70, // 'p'
  BINPUT: 0x71, // 'q'
  LONG_BINPUT: 0x72, // 'r'
  MEMOIZE: 0x94,
  GET: 0x67, // 'g'
  BINGET: 0x68, // 'h'
  LONG_BINGET: 0x6a, // 'j'

  // Globals and objects
  GLOBAL: 0x63, // 'c'
  STACK_GLOBAL: 0x93,
  REDUCE: 0x52, // 'R'
  NEWOBJ: 0x81,
  NEWOBJ_EX: 0x92,
  INST: 0x69, // 'i'
  OBJ: 0x6f, // 'o'
  BUILD: 0x62, // 'b'
  PERSID: 0x50, // 'P'
  BINPERSID: 0x51, // 'Q'
  EXT1: 0x82,
  EXT2: 0x83,
  EXT4: 0x84,
} as const);

/** The newest pickle protocol this parser reads. */
export const HIGHEST_PROTOCOL = 5;
