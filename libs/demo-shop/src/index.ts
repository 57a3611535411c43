export * from './orders';
export * from './shop-server';
