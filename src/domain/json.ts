/**
 * JSON data as a type, the one definition: what the store keeps in JSON columns, what legacy
 * records become, what a model artifact's header holds. Mutable, because readers narrow it with
 * `Array.isArray`, which does not narrow read-only arrays out of a union.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
