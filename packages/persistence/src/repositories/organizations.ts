import type { EntityManager } from '@mikro-orm/postgresql';
import type { Id, Organization, OrganizationRepository } from '@payrail/domain';
import { OrganizationSchema } from '../orm/entities/organization.js';
import { selectRows } from '../sql/rows.js';

export class SqlOrganizationRepository implements OrganizationRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: Id): Promise<Organization | null> {
    const [row] = await selectRows(this.em, OrganizationSchema, 'organizations', '"id" = $1', [id]);
    if (row === undefined) return null;
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
