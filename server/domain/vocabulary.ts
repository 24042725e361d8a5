/**
 * The closed vocabularies of the domain (domain.md), shared by the database schema, the API
 * and the client. Chinese labels are the terms the county uses; keep them exactly.
 */

export const TOWNSHIP_KINDS = ['镇', '乡', '街道'] as const;
export const VILLAGE_KINDS = ['村', '社区'] as const;

/** Grid duties: 网格长, 护林员, 向导, 村干部, 监督员, 民间林长. */
export const GRID_ROLES = [
  'grid_head',
  'ranger',
  'guide',
  'village_cadre',
  'supervisor',
  'folk_forest_chief',
] as const;
export type GridRole = (typeof GRID_ROLES)[number];

export const ROAD_CLASSES = ['county', 'township', 'village', 'forest_track'] as const;
export const WATER_SOURCE_KINDS = ['reservoir', 'pond', 'stream', 'hydrant'] as const;
export const KEY_AREA_KINDS = [
  'grave_hill',
  'scenic_spot',
  'power_line',
  'school',
  'hamlet',
  'other',
] as const;
export const CAMERA_KINDS = ['visible', 'thermal', 'dual', 'none'] as const;

/** Crew levels follow the three-level command: county, township, village. */
export const CREW_LEVELS = ['county', 'township', 'village'] as const;
export const CREW_STATUSES = [
  'standby',
  'dispatched',
  'en_route',
  'on_scene',
  'returning',
] as const;
export const EQUIPMENT_KINDS = ['drone', 'pump', 'fire_truck', 'blower', 'radio', 'other'] as const;

/** Incident lifecycle (issue 5): reported → verifying → confirmed | false_alarm → … → closed. */
export const INCIDENT_STATES = [
  'reported',
  'verifying',
  'confirmed',
  'false_alarm',
  'dispatched',
  'on_scene',
  'controlled',
  'extinguished',
  'closed',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export const REPORT_SOURCES = ['ranger', 'lookout', 'public', 'camera', 'satellite'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];
export const ESCALATION_LEVELS = ['village', 'township', 'county'] as const;
export const DISPATCH_STATUSES = [
  'ordered',
  'acknowledged',
  'en_route',
  'on_scene',
  'released',
  'cancelled',
] as const;
/** A dispatch in one of these holds its crew: a crew serves one incident at a time. */
export const ACTIVE_DISPATCH_STATUSES = [
  'ordered',
  'acknowledged',
  'en_route',
  'on_scene',
] as const;

/** 森林火灾气象等级: level 1 (low) … 5 (extreme). */
export const FIRE_DANGER_LEVELS = [1, 2, 3, 4, 5] as const;
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
/** 预警信号 names of the warning levels (蓝/黄/橙/红色预警). */
export const SIGNAL_NAMES = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' } as const;

/** 三级督导: county leader every 3 days, inspection group every 2, command HQ daily. */
export const INSPECTION_KINDS = ['county_leader', 'inspection_group', 'command_hq'] as const;

export const USER_ROLES = [
  'county_command',
  'war_zone_commander',
  'township_commander',
  'village_head',
  'ranger',
  'lookout_operator',
  'supervisor',
  'viewer',
] as const;
export type UserRole = (typeof USER_ROLES)[number];
