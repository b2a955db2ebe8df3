export type * from './common.js';
export type * from './sdo.js';
export type * from './sro.js';
export type * from './sco.js';
export type * from './sco-extensions.js';
export type * from './meta.js';

import type { StixDomainObject } from './sdo.js';
import type { StixRelationshipObject } from './sro.js';
import type { StixCyberObservable } from './sco.js';
import type { StixMetaObject } from './meta.js';

/** Any STIX 2.1 object defined by the specification (custom objects are plain JSON objects). */
export type StixObject = StixDomainObject | StixRelationshipObject | StixCyberObservable | StixMetaObject;
