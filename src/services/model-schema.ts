/**
 * The hyperparameters each trainable model accepts (names, types, defaults, bounds), for the
 * dashboard's train form: the ml layer's own description, offered to the interfaces.
 */
export { allHyperparameterSpecs, type HyperparameterSpec } from '../ml/param-schema.js';
