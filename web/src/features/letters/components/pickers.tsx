import { useDeferredValue, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ControlProps } from "../../../components/form";
import { useUsers } from "../../directory/api/users";
import type { User } from "../../directory/api/users";
import { useOpenFiles } from "../../files/api/files";
import type { RegistryFile } from "../../files/api/files";

/**
 * Choosing a person from the directory: a search box narrows a plain `<select>`, which works the same
 * with a keyboard, a screen reader and a phone's own picker. The chosen person stays listed while
 * the search changes.
 */
export function UserPicker({
  control,
  value,
  onChange,
  searchLabel,
}: {
  control: ControlProps;
  value: User | null;
  onChange: (user: User | null) => void;
  searchLabel: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const found = useUsers(q);
  const matches = (found.data?.pages.flatMap((page) => page.items) ?? []).filter((user) => user.active);
  const options = value && !matches.some((user) => user.id === value.id) ? [value, ...matches] : matches;
  const searchId = `${control.id}-search`;

  return (
    <div className="picker">
      <label className="visually-hidden" htmlFor={searchId}>
        {searchLabel}
      </label>
      <input id={searchId} type="search" placeholder={searchLabel} value={search} onChange={(event) => setSearch(event.target.value)} />
      <select
        {...control}
        value={value?.id ?? ""}
        onChange={(event) => onChange(options.find((user) => user.id === event.target.value) ?? null)}
      >
        <option value="">{found.isPending ? t("common.loading") : t("letters.form.choosePerson")}</option>
        {options.map((user) => (
          <option key={user.id} value={user.id}>
            {user.name} ({user.email})
          </option>
        ))}
      </select>
    </div>
  );
}

function fileMatches(file: RegistryFile, words: string[]): boolean {
  const text = `${file.reference} ${file.title}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

/** Choosing an open registry file, searched by reference or title. */
export function FilePicker({
  control,
  value,
  onChange,
  searchLabel,
}: {
  control: ControlProps;
  value: string;
  onChange: (fileId: string) => void;
  searchLabel: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const files = useOpenFiles();
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const all = files.data ?? [];
  const matches = all.filter((file) => file.id === value || fileMatches(file, words));
  const searchId = `${control.id}-search`;

  return (
    <div className="picker">
      <label className="visually-hidden" htmlFor={searchId}>
        {searchLabel}
      </label>
      <input id={searchId} type="search" placeholder={searchLabel} value={search} onChange={(event) => setSearch(event.target.value)} />
      <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{files.isPending ? t("common.loading") : t("letters.form.noFile")}</option>
        {matches.map((file) => (
          <option key={file.id} value={file.id}>
            {file.reference} — {file.title}
          </option>
        ))}
      </select>
    </div>
  );
}
