// Read by the Prisma CLI (`prisma generate`). Migrations run through scripts/ (offline wasm engine).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/parley' },
});
