/**
 * Every connector as `GET /integrations` describes it: label, credential and context fields,
 * resources and methods, and the support matrix computed from the response mappings. Built from
 * the registries alone, so the route and `npm run docs:matrix` give the same answer.
 */
import type { ConnectorRegistry } from '../../connectors/registry'
import type { ConnectorDefinition, CredentialField, ResourceMethods } from '../engine/connector-types'
import type { MappingEngine } from '../engine/mapping/mapping-engine'
import { mappingDirOf } from '../engine/response-mapping'
import type { ModelRegistry, UnifiedResource } from '../models/model-registry'
import { resourceKey } from '../models/model-registry'
import { METHODS, type FieldSpec, type Integration, type IntegrationResource, type MethodName } from './catalog-schema'
import { filledFields } from './mapping-fields'

export interface CatalogSources {
  connectors: ConnectorRegistry
  models: ModelRegistry
  mappings: MappingEngine
}

export function fieldSpec(f: CredentialField): FieldSpec {
  return {
    name: f.name,
    label: f.label,
    secret: f.secret,
    required: f.required,
    pattern: f.pattern ?? null,
    example: f.example ?? null,
    help_text: f.helpText ?? null,
  }
}

/**
 * The response mappings a method runs: a list's own, its `then` lists' and its other reports'
 * (with theirs); a get's own and its per-id-pattern endpoints'; a get via the list runs the list's.
 */
function responseMappings(methods: ResourceMethods, method: MethodName): string[] {
  const spec = methods[method]
  if (!spec) return []
  if ('via' in spec) return methods.list ? responseMappings(methods, 'list') : []
  const more = 'then' in spec ? (spec.then ?? []) : 'byIdPattern' in spec ? (spec.byIdPattern ?? []) : []
  const reports = 'reports' in spec ? Object.values(spec.reports?.others ?? {}) : []
  return [spec, ...more, ...reports, ...reports.flatMap((r) => r.then ?? [])].map((m) => m.mappings.response)
}

async function methodFields(sources: CatalogSources, dir: string, files: string[], schemaKeys: string[]): Promise<string[]> {
  const filled = new Set<string>()
  for (const file of files) for (const k of filledFields((await sources.mappings.expression(`${dir}/${file}`)).ast())) filled.add(k)
  // Schema order, and only the unified fields: extra keys a mapping adds are not in the contract.
  return schemaKeys.filter((k) => filled.has(k))
}

/** The connector's per-field source notes in schema order (unified fields only), or null without any. */
function fieldSources(methods: ResourceMethods, schemaKeys: string[]): Record<string, string> | null {
  const notes = methods.fieldSources
  if (!notes) return null
  return Object.fromEntries(schemaKeys.filter((k) => typeof notes[k] === 'string').map((k) => [k, notes[k]]))
}

async function describeResource(
  sources: CatalogSources,
  connector: ConnectorDefinition,
  resource: UnifiedResource,
): Promise<IntegrationResource | undefined> {
  const key = resourceKey(resource)
  const methods = connector.resources[key]
  if (!methods) return undefined
  const schemaKeys = Object.keys(resource.schema.shape)
  const dir = mappingDirOf(key, connector.id)
  return {
    model: resource.model,
    resource: resource.resource,
    methods: METHODS.filter((m) => methods[m] !== undefined),
    fields: {
      list: await methodFields(sources, dir, responseMappings(methods, 'list'), schemaKeys),
      get: await methodFields(sources, dir, responseMappings(methods, 'get'), schemaKeys),
    },
    field_sources: fieldSources(methods, schemaKeys),
  }
}

export async function describeIntegration(sources: CatalogSources, connector: ConnectorDefinition): Promise<Integration> {
  const resources: IntegrationResource[] = []
  for (const resource of sources.models.all()) {
    const described = await describeResource(sources, connector, resource)
    if (described) resources.push(described)
  }
  return {
    id: connector.id,
    label: connector.label,
    docs_url: connector.docsUrl ?? null,
    base_url: connector.baseUrl,
    credentials: connector.credentials.map(fieldSpec),
    context_fields: (connector.contextFields ?? []).map(fieldSpec),
    resources,
  }
}

export async function buildCatalog(sources: CatalogSources): Promise<Integration[]> {
  return Promise.all(sources.connectors.all().map((c) => describeIntegration(sources, c)))
}

/** Every unified resource's fields in schema order: the rows of the support matrix. */
export function resourceFields(models: ModelRegistry): Record<string, string[]> {
  return Object.fromEntries(models.all().map((r) => [resourceKey(r), Object.keys(r.schema.shape)]))
}
