/**
 * The five calls every directory answers, through the typed client. All thirteen directories
 * share the same routes, parameters and answers except for the item's fields, which the
 * descriptions know; so the calls are typed by one representative directory (buildings) and the
 * path is the chosen directory's.
 */
import { api, type Schemas } from "../../../api/client";
import { unwrap } from "../../../lib/problem";
import type { DirectoryName } from "./descriptions";
import type { Item } from "./form";

type ListPath = "/api/scheduling/buildings";
type ItemPath = "/api/scheduling/buildings/{item_id}";
type AnyBody = Schemas["SchedulingBuildingCreate"];

const listPath = (name: DirectoryName) => `/api/scheduling/${name}` as ListPath;
const itemPath = (name: DirectoryName) => `/api/scheduling/${name}/{item_id}` as ItemPath;

/** The API's page limit: a directory is a few hundred items at most. */
const ALL = 500;

/** Every item (or only active ones). */
export async function listItems(name: DirectoryName, activeOnly: boolean): Promise<Item[]> {
  const page = unwrap(
    await api.GET(listPath(name), { params: { query: { limit: ALL, active: activeOnly ? true : undefined } } }),
  );
  return page.items as unknown as Item[];
}

/** An item with its version (`ETag`) for If-Match. */
export async function getItem(name: DirectoryName, id: string): Promise<{ item: Item; etag: string | undefined }> {
  const result = await api.GET(itemPath(name), { params: { path: { item_id: id } } });
  const item = unwrap(result) as unknown as Item;
  return { item, etag: result.response.headers.get("ETag") ?? undefined };
}

export async function createItem(name: DirectoryName, body: Record<string, unknown>): Promise<Item> {
  return unwrap(await api.POST(listPath(name), { body: body as unknown as AnyBody })) as unknown as Item;
}

export async function updateItem(
  name: DirectoryName,
  id: string,
  etag: string | undefined,
  body: Record<string, unknown>,
): Promise<Item> {
  const result = await api.PATCH(itemPath(name), {
    params: { path: { item_id: id }, header: etag ? { "If-Match": etag } : undefined },
    body: body as unknown as AnyBody,
  });
  return unwrap(result) as unknown as Item;
}

export async function deleteItem(name: DirectoryName, id: string, etag: string | undefined): Promise<void> {
  const result = await api.DELETE(itemPath(name), {
    params: { path: { item_id: id }, header: etag ? { "If-Match": etag } : undefined },
  });
  if (!result.response.ok) unwrap(result);
}
