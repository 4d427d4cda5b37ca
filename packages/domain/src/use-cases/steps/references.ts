import type { Id } from '../../model/common.js';

export interface OrganizationScoped {
  readonly organizationId: Id;
}

export interface InvoiceRef extends OrganizationScoped {
  readonly invoiceId: Id;
}

export type CustomerRef = { readonly externalId: string } | { readonly id: Id };
