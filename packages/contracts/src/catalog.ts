import { ITEM_KINDS, ITEM_SUBJECTS, PROMISE_TYPES, UNIT_KINDS, UNIT_LEVELS } from '@hcp/domain';
import { type Static, Type } from 'typebox';
import { CodeSchema, CursorSchema, LimitSchema, Page } from './common';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Search = Type.String({ minLength: 1, maxLength: 100, description: 'Substring of the name' });

export const UnitLevelSchema = Type.Enum([...UNIT_LEVELS]);
export const UnitKindSchema = Type.Enum([...UNIT_KINDS]);
export const ItemKindSchema = Type.Enum([...ITEM_KINDS]);
export const ItemSubjectSchema = Type.Enum([...ITEM_SUBJECTS]);
export const PromiseTypeSchema = Type.Enum([...PROMISE_TYPES]);

/** Handling unit (承办单位) as written by administrators and imports. */
export const UnitInputSchema = Type.Object(
  {
    code: CodeSchema,
    name: Name,
    level: UnitLevelSchema,
    kind: UnitKindSchema,
    parentCode: Type.Union([CodeSchema, Type.Null()], { description: 'null only for the root unit' }),
    creditCode: Type.Union([Type.String({ pattern: '^[0-9A-Z]{18}$' }), Type.Null()], {
      description: '统一社会信用代码 (GB 32100-2015, check character verified)',
    }),
    divisionCode: Type.String({ pattern: '^([0-9]{6}|[0-9]{9}|[0-9]{12})$', description: 'GB/T 2260 code' }),
  },
  { additionalProperties: false },
);
export type UnitInput = Static<typeof UnitInputSchema>;

export const UnitSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: UnitLevelSchema,
  kind: UnitKindSchema,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  creditCode: Type.Union([Type.String(), Type.Null()]),
  divisionCode: Type.String(),
  path: Type.String({ description: 'Materialized path of codes from the root, each followed by /' }),
});
export type Unit = Static<typeof UnitSchema>;

export const UnitRefSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: UnitLevelSchema,
});
export type UnitRef = Static<typeof UnitRefSchema>;

export const UnitDetailSchema = Type.Object({
  ...UnitSchema.properties,
  childrenCount: Type.Integer(),
  ancestors: Type.Array(UnitRefSchema, { description: 'From the root down to the parent' }),
});
export type UnitDetail = Static<typeof UnitDetailSchema>;

export const UnitQuerySchema = Type.Object(
  {
    level: Type.Optional(
      Type.Enum([...UNIT_LEVELS], {
        description:
          'Territorial units of this tier: the districts themselves for `district` (governments and committees, not the departments or service centres at that tier; use `tier` for those)',
      }),
    ),
    tier: Type.Optional(Type.Enum([...UNIT_LEVELS], { description: 'Every unit at this tier, of any kind' })),
    kind: Type.Optional(UnitKindSchema),
    parent: Type.Optional(CodeSchema),
    q: Type.Optional(Search),
    limit: Type.Optional(LimitSchema),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type UnitQuery = Static<typeof UnitQuerySchema>;
export const UnitPageSchema = Page(UnitSchema);

/** Service item (事项), keyed by its implementation code (实施编码). */
export const ItemInputSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[0-9A-Za-z]{1,36}$', description: '实施编码 implementation code' }),
    baseCode: Type.String({ pattern: '^[0-9A-Za-z]{1,36}$', description: '基本编码 base code' }),
    businessCode: Type.Union([Type.String({ pattern: '^[0-9A-Za-z_-]{1,50}$' }), Type.Null()], {
      description: '业务办理项编码',
    }),
    name: Name,
    kind: ItemKindSchema,
    subject: ItemSubjectSchema,
    promiseType: PromiseTypeSchema,
    promiseDays: Type.Union([Type.Integer({ minimum: 1, maximum: 365 }), Type.Null()], {
      description: 'Promised working days; required for promised items, null for immediate ones',
    }),
    unitCode: CodeSchema,
  },
  { additionalProperties: false },
);
export type ItemInput = Static<typeof ItemInputSchema>;
export const ItemSchema = Type.Object({ ...ItemInputSchema.properties, unitName: Type.String() });
export type Item = Static<typeof ItemSchema>;

export const ItemQuerySchema = Type.Object(
  {
    unit: Type.Optional(CodeSchema),
    under: Type.Optional(Type.Union([CodeSchema], { description: 'Any unit in this subtree' })),
    kind: Type.Optional(ItemKindSchema),
    subject: Type.Optional(ItemSubjectSchema),
    q: Type.Optional(Search),
    limit: Type.Optional(LimitSchema),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type ItemQuery = Static<typeof ItemQuerySchema>;
export const ItemPageSchema = Page(ItemSchema);

/** Window (窗口) in a hall, belonging to a unit. */
export const WindowInputSchema = Type.Object(
  {
    no: CodeSchema,
    name: Name,
    hall: Type.String({ minLength: 1, maxLength: 200, description: 'Hall (大厅) the window stands in' }),
    unitCode: CodeSchema,
  },
  { additionalProperties: false },
);
export type WindowInput = Static<typeof WindowInputSchema>;
export const WindowSchema = Type.Object({ ...WindowInputSchema.properties, unitName: Type.String() });
export type Window = Static<typeof WindowSchema>;

export const WindowQuerySchema = Type.Object(
  {
    unit: Type.Optional(CodeSchema),
    under: Type.Optional(CodeSchema),
    q: Type.Optional(Search),
    limit: Type.Optional(LimitSchema),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type WindowQuery = Static<typeof WindowQuerySchema>;
export const WindowPageSchema = Page(WindowSchema);

/** Staff member (承办人); the staff number (工号) is the public identifier. */
export const StaffInputSchema = Type.Object(
  {
    staffNo: CodeSchema,
    name: Type.String({ minLength: 1, maxLength: 50 }),
    unitCode: CodeSchema,
    windowNo: Type.Union([CodeSchema, Type.Null()]),
  },
  { additionalProperties: false },
);
export type StaffInput = Static<typeof StaffInputSchema>;
export const StaffSchema = Type.Object({
  ...StaffInputSchema.properties,
  name: Type.String({ description: 'Masked (张*) unless the caller is an administrator' }),
  unitName: Type.String(),
});
export type Staff = Static<typeof StaffSchema>;

export const StaffQuerySchema = Type.Object(
  {
    unit: Type.Optional(CodeSchema),
    under: Type.Optional(CodeSchema),
    window: Type.Optional(CodeSchema),
    q: Type.Optional(Search),
    limit: Type.Optional(LimitSchema),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type StaffQuery = Static<typeof StaffQuerySchema>;
export const StaffPageSchema = Page(StaffSchema);

/** Rating channel with its national code. */
export const ChannelSchema = Type.Object({
  id: Type.String(),
  pf: Type.Integer(),
  type: Type.Enum(['online', 'offline']),
  nameZh: Type.String(),
  nameEn: Type.String(),
});
export type Channel = Static<typeof ChannelSchema>;

/** One version of the indicator and bad-rating reason catalogue (评价指标与差评原因). */
export const RatingCatalogSchema = Type.Object({
  version: Type.String(),
  effectiveFrom: Type.String({ format: 'date' }),
  indicators: Type.Array(
    Type.Object({
      code: Type.String(),
      channelType: Type.Enum(['online', 'offline']),
      nameZh: Type.String(),
      nameEn: Type.String(),
    }),
  ),
  reasons: Type.Array(
    Type.Object({
      code: Type.String(),
      category: Type.Enum(['staff', 'item']),
      nameZh: Type.String(),
      nameEn: Type.String(),
    }),
  ),
});
export type RatingCatalog = Static<typeof RatingCatalogSchema>;
