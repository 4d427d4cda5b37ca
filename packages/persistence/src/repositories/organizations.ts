import type { EntityManager } from '@mikro-orm/postgresql';
import type { Id, Organization, OrganizationRepository } from '@payrail/domain';
import { OrganizationSchema } from '../orm/entities/organization.js';

export class SqlOrganizationRepository implements OrganizationRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: Id): Promise<Organization | null> {
    const row = await this.em.findOne(OrganizationSchema, { id }, { disableIdentityMap: true });
    if (row === null) return null;
    return {
      id: row.id,
      name: row.name,
      documentNumberPrefix: row.documentNumberPrefix,
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}
