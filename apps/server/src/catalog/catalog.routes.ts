import {
  ChannelSchema,
  ItemInputSchema,
  ItemPageSchema,
  ItemQuerySchema,
  ItemSchema,
  RatingCatalogSchema,
  StaffInputSchema,
  StaffPageSchema,
  StaffQuerySchema,
  StaffSchema,
  UnitDetailSchema,
  UnitInputSchema,
  UnitPageSchema,
  UnitQuerySchema,
  WindowInputSchema,
  WindowPageSchema,
  WindowQuerySchema,
  WindowSchema,
} from '@hcp/contracts';
import {
  currentRatingCatalog,
  deleteCatalogRow,
  deleteUnit,
  type Executor,
  getItem,
  getStaff,
  getUnit,
  getWindow,
  listItems,
  listStaff,
  listUnits,
  listWindows,
  unitPath,
} from '@hcp/db';
import { type CatalogEntity, CHANNELS, DomainError, maskName, notFound } from '@hcp/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { isAdmin, requireSysadmin } from '../http/auth';
import { saveCatalogRows } from './save-catalog-rows';
import { assertSameKey, saveUnits } from './save-units';

/** What differs between the four catalogue resources; the routes are otherwise the same. */
interface Resource {
  entity: CatalogEntity;
  path: string;
  key: string;
  schemas: { query: TSchema; page: TSchema; one: TSchema; input: TSchema };
  list(query: Record<string, string>, req: FastifyRequest): Promise<unknown>;
  get(key: string, req: FastifyRequest): Promise<unknown>;
  save(input: Record<string, unknown>): Promise<{ inserted: number }>;
  remove(key: string): Promise<boolean>;
}

/** The materialized path of `under`, or a 404 naming it. */
async function underPath(db: Executor, under: string | undefined): Promise<string | null> {
  if (!under) return null;
  const path = await unitPath(db, under);
  if (path === null) throw notFound('unit', under);
  return path;
}

/** Staff names are personal data: the public sees 张*, administrators the full name. */
function maskUnlessAdmin<T extends { name: string }>(req: FastifyRequest, staff: T): T {
  return isAdmin(req) ? staff : { ...staff, name: maskName(staff.name) };
}

const resources = (db: Executor): Resource[] => [
  {
    entity: 'unit',
    path: 'units',
    key: 'code',
    schemas: { query: UnitQuerySchema, page: UnitPageSchema, one: UnitDetailSchema, input: UnitInputSchema },
    list: (q) => listUnits(db, q),
    get: (code) => getUnit(db, code),
    save: (input) => saveUnits(db, [input as never]),
    remove: (code) => deleteUnit(db, code),
  },
  {
    entity: 'item',
    path: 'items',
    key: 'code',
    schemas: { query: ItemQuerySchema, page: ItemPageSchema, one: ItemSchema, input: ItemInputSchema },
    list: async (q) => listItems(db, q, await underPath(db, q.under)),
    get: (code) => getItem(db, code),
    save: (input) => saveCatalogRows(db, 'items', [input as never]),
    remove: (code) => deleteCatalogRow(db, 'items', code),
  },
  {
    entity: 'window',
    path: 'windows',
    key: 'no',
    schemas: {
      query: WindowQuerySchema,
      page: WindowPageSchema,
      one: WindowSchema,
      input: WindowInputSchema,
    },
    list: async (q) => listWindows(db, q, await underPath(db, q.under)),
    get: (no) => getWindow(db, no),
    save: (input) => saveCatalogRows(db, 'windows', [input as never]),
    remove: (no) => deleteCatalogRow(db, 'windows', no),
  },
  {
    entity: 'staff',
    path: 'staff',
    key: 'staffNo',
    schemas: { query: StaffQuerySchema, page: StaffPageSchema, one: StaffSchema, input: StaffInputSchema },
    list: async (q, req) => {
      const page = await listStaff(db, q, await underPath(db, q.under));
      return { ...page, items: page.items.map((s) => maskUnlessAdmin(req, s)) };
    },
    get: async (no, req) => {
      const s = await getStaff(db, no);
      return s && maskUnlessAdmin(req, s);
    },
    save: (input) => saveCatalogRows(db, 'staff', [input as never]),
    remove: (no) => deleteCatalogRow(db, 'staff', no),
  },
];

/** Registers list, get, put and delete for one catalogue resource. */
function registerResource(app: FastifyInstance, r: Resource) {
  const tags = ['catalog'];
  const params = Type.Object({ key: Type.String({ maxLength: 50 }) });
  const url = `/api/v1/${r.path}/:key`;
  const one = async (req: FastifyRequest, key: string) => {
    const found = await r.get(key, req);
    if (!found) throw notFound(r.entity, key);
    return found;
  };

  app.get(`/api/v1/${r.path}`, {
    schema: {
      tags,
      summary: `List ${r.path}`,
      querystring: r.schemas.query,
      response: { 200: r.schemas.page },
    },
    handler: (req) => r.list(req.query as Record<string, string>, req),
  });
  app.get(url, {
    schema: { tags, summary: `Get one of ${r.path}`, params, response: { 200: r.schemas.one } },
    handler: (req) => one(req, (req.params as { key: string }).key),
  });
  app.put(url, {
    schema: {
      tags,
      summary: `Create or replace one of ${r.path} (system administrators)`,
      params,
      body: r.schemas.input,
      response: { 200: r.schemas.one, 201: r.schemas.one },
      security: [{ bearer: [] }],
    },
    preHandler: requireSysadmin,
    handler: async (req, reply) => {
      const key = (req.params as { key: string }).key;
      const input = req.body as Record<string, unknown>;
      assertSameKey(key, String(input[r.key]), r.key);
      const counts = await r.save(input);
      return reply.status(counts.inserted ? 201 : 200).send(await one(req, key));
    },
  });
  app.delete(url, {
    schema: {
      tags,
      summary: `Delete one of ${r.path} (system administrators)`,
      params,
      security: [{ bearer: [] }],
    },
    preHandler: requireSysadmin,
    handler: async (req, reply) => {
      const key = (req.params as { key: string }).key;
      if (!(await r.remove(key))) throw notFound(r.entity, key);
      return reply.status(204).send();
    },
  });
}

/** The catalogue API: units, items, windows, staff, channels and the rating catalogue. */
export async function catalogRoutes(app: FastifyInstance, opts: { db: Executor; today: () => string }) {
  for (const r of resources(opts.db)) registerResource(app, r);

  app.get('/api/v1/channels', {
    schema: {
      tags: ['catalog'],
      summary: 'Rating channels with national pf codes',
      response: { 200: Type.Array(ChannelSchema) },
    },
    handler: async () => CHANNELS,
  });
  app.get('/api/v1/rating-catalog', {
    schema: {
      tags: ['catalog'],
      summary: 'Indicators and bad-rating reasons of the version in force today',
      response: { 200: RatingCatalogSchema },
    },
    handler: async () => {
      const catalog = await currentRatingCatalog(opts.db, opts.today());
      if (!catalog) {
        throw new DomainError('NOT_FOUND', {
          en: 'no rating catalogue is in force',
          zh: '尚无生效的评价指标目录',
        });
      }
      return catalog;
    },
  });
}
