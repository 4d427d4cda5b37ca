import { randomBytes } from 'node:crypto';

/** What bootstrapping needs from persistence's `OrganizationStore`. */
export interface OrganizationCreator {
  create(input: {
    readonly name: string;
    readonly documentNumberPrefix: string;
  }): Promise<{ readonly id: string }>;
  createApiKey(organizationId: string, name?: string | null): Promise<{ readonly key: string }>;
}

export interface BootstrappedOrganization {
  readonly organizationId: string;
  readonly name: string;
  readonly documentNumberPrefix: string;
  /** Shown once: only its SHA-256 is stored. */
  readonly apiKey: string;
}

/** Lago's shape: three letters of the name and four random characters, e.g. `ACM-7F3A`. */
export function documentNumberPrefix(name: string): string {
  const letters = name
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .slice(0, 3)
    .padEnd(3, 'X');
  return `${letters}-${randomBytes(2).toString('hex').toUpperCase()}`;
}

export async function bootstrapOrganization(
  organizations: OrganizationCreator,
  input: { readonly name: string; readonly documentNumberPrefix?: string },
): Promise<BootstrappedOrganization> {
  const name = input.name.trim();
  if (name === '' || name.length > 255)
    throw new RangeError('the organization name must be 1 to 255 characters');
  const prefix = input.documentNumberPrefix ?? documentNumberPrefix(name);
  const organization = await organizations.create({ name, documentNumberPrefix: prefix });
  const { key } = await organizations.createApiKey(organization.id, 'bootstrap');
  return { organizationId: organization.id, name, documentNumberPrefix: prefix, apiKey: key };
}
