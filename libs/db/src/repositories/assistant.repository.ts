import type { Database } from '../database';

export class AssistantRepository {
  constructor(private readonly db: Database) {}

  /** Creates the tenant row if missing; the name is refreshed from the assistant's files. */
  async ensure(id: string, name: string): Promise<void> {
    await this.db.prisma.assistant.upsert({
      where: { id },
      create: { id, name },
      update: { name },
    });
  }
}
