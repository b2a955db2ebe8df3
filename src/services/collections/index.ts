export { CollectionService, DEFAULT_MEDIA_TYPES, type CollectionServiceDeps, type NewCollection, type Rights, type VisibleCollection } from './collection-service.js';
