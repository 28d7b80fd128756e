import { useDeferredValue, useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { ErrorAlert, SuccessNote } from "../../../components/form";
import { toLanguage } from "../../../lib/i18n";
import { roles } from "../../../lib/roles";
import type { Role } from "../../../lib/roles";
import { hasRole, useMe } from "../../auth/api/me";
import type { Me } from "../../auth/api/me";
import { useDepartments } from "../../directory/api/departments";
import type { Department } from "../../directory/api/departments";
import { useAllUsers, useCreateUser, useUpdateUser, useUsers } from "../../directory/api/users";
import type { User } from "../../directory/api/users";
import { RoleList } from "../../directory/components/role-list";
import { UserForm } from "./user-form";
import type { UserFormValues } from "./user-form";

/** Only an operator may grant the operator role; an agency administrator grants the agency roles. */
function grantableRoles(me: Me | undefined): readonly Role[] {
  return hasRole(me, "operator") ? roles : roles.filter((role) => role !== "operator");
}

export function UsersAdmin() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const departments = useDepartments();
  const everyone = useAllUsers();
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const list = useUsers(q);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<User | null>(null);
  const createUser = useCreateUser();

  const departmentList = departments.data ?? [];
  const activeUsers = (everyone.data ?? []).filter((user) => user.active);
  const grantable = grantableRoles(me.data);
  const users = list.data?.pages.flatMap((page) => page.items) ?? [];

  function create(values: UserFormValues) {
    createUser.mutate(
      {
        email: values.email,
        name: values.name,
        departmentId: values.departmentId,
        roles: values.roles,
        supervisorId: values.supervisorId,
        language: values.language,
      },
      {
        onSuccess: (user) => {
          setCreated(user);
          setCreating(false);
          createUser.reset();
        },
      },
    );
  }

  return (
    <>
      <div className="toolbar">
        <div className="field field--inline">
          <label className="field__label" htmlFor="users-search">
            {t("users.search")}
          </label>
          <input id="users-search" type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </div>
        {!creating && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setCreated(null);
              setCreating(true);
            }}
          >
            {t("users.add")}
          </button>
        )}
      </div>

      {created && <SuccessNote>{t("users.created", { name: created.name })}</SuccessNote>}

      {creating && (
        <section className="card panel" aria-labelledby="new-user-heading">
          <h2 id="new-user-heading">{t("users.newTitle")}</h2>
          <UserForm
            idPrefix="new-user"
            initial={{
              email: "",
              name: "",
              departmentId: departmentList.length === 1 ? (departmentList[0]?.id ?? "") : "",
              roles: ["officer"],
              supervisorId: null,
              language: toLanguage(i18n.resolvedLanguage),
            }}
            withEmail
            departments={departmentList}
            supervisors={activeUsers}
            grantable={grantable}
            submitLabel={t("users.create")}
            pending={createUser.isPending}
            error={createUser.error}
            onSubmit={create}
            onCancel={() => {
              setCreating(false);
              createUser.reset();
            }}
          />
        </section>
      )}

      <section aria-labelledby="users-list-heading">
        <h2 id="users-list-heading">{t("users.listTitle")}</h2>
        {list.isPending && (
          <p className="muted" role="status">
            {t("common.loading")}
          </p>
        )}
        {list.isError && <ErrorAlert error={list.error} />}
        {list.isSuccess && users.length === 0 && <p className="muted">{q ? t("users.noMatch") : t("users.none")}</p>}
        <ul className="record-list">
          {users.map((user) => (
            <UserRow
              key={user.id}
              user={user}
              isMe={user.id === me.data?.id}
              departments={departmentList}
              everyone={everyone.data ?? []}
              grantable={grantable}
            />
          ))}
        </ul>
        {list.hasNextPage && (
          <button type="button" className="button button--secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {t("common.showMore")}
          </button>
        )}
      </section>
    </>
  );
}

function UserRow({
  user,
  isMe,
  departments,
  everyone,
  grantable,
}: {
  user: User;
  isMe: boolean;
  departments: readonly Department[];
  everyone: readonly User[];
  grantable: readonly Role[];
}) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const department = departments.find((candidate) => candidate.id === user.departmentId);
  const supervisor = everyone.find((candidate) => candidate.id === user.supervisorId);
  // Anyone active may supervise, except the user themself; the current supervisor stays listed even if inactive.
  const supervisors = everyone.filter((candidate) => candidate.id !== user.id && (candidate.active || candidate.id === user.supervisorId));

  function save(values: UserFormValues) {
    update.mutate(
      {
        id: user.id,
        change: {
          name: values.name,
          departmentId: values.departmentId,
          roles: values.roles,
          supervisorId: values.supervisorId,
          language: values.language,
        },
      },
      { onSuccess: () => setEditing(false) },
    );
  }

  function setActive(active: boolean) {
    update.mutate({ id: user.id, change: { active } }, { onSettled: () => setConfirming(false) });
  }

  return (
    <li className="record" aria-labelledby={`user-${user.id}-name`}>
      <div className="record__head">
        <h3 id={`user-${user.id}-name`} className="record__title">
          {user.name}
        </h3>
        {!user.active && <span className="badge badge--down">{t("users.inactive")}</span>}
      </div>
      <dl className="record__facts">
        <div>
          <dt>{t("users.email")}</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>{t("users.department")}</dt>
          <dd>{department ? department.name : t("profile.noDepartment")}</dd>
        </div>
        <div>
          <dt>{t("users.roles")}</dt>
          <dd>
            <RoleList roles={user.roles} />
          </dd>
        </div>
        <div>
          <dt>{t("users.supervisor")}</dt>
          <dd>{supervisor ? supervisor.name : t("users.noSupervisor")}</dd>
        </div>
      </dl>

      {editing ? (
        <UserForm
          idPrefix={`edit-${user.id}`}
          initial={{
            email: user.email,
            name: user.name,
            departmentId: user.departmentId ?? "",
            roles: user.roles,
            supervisorId: user.supervisorId,
            language: user.language,
          }}
          withEmail={false}
          departments={departments}
          supervisors={supervisors}
          grantable={grantable}
          submitLabel={t("common.save")}
          pending={update.isPending}
          error={update.error}
          onSubmit={save}
          onCancel={() => {
            setEditing(false);
            update.reset();
          }}
        />
      ) : (
        <div className="form__actions">
          <button
            type="button"
            className="button button--secondary"
            aria-label={t("users.editNamed", { name: user.name })}
            onClick={() => {
              update.reset();
              setEditing(true);
            }}
          >
            {t("common.edit")}
          </button>
          {!isMe && (
            <button
              type="button"
              className={user.active ? "button button--danger-outline" : "button button--secondary"}
              aria-label={t(user.active ? "users.deactivateNamed" : "users.reactivateNamed", { name: user.name })}
              onClick={() => {
                update.reset();
                setConfirming(true);
              }}
            >
              {user.active ? t("users.deactivate") : t("users.reactivate")}
            </button>
          )}
        </div>
      )}
      {!editing && update.isError && <ErrorAlert error={update.error} />}

      {confirming && (
        <ConfirmDialog
          title={t(user.active ? "users.confirmDeactivateTitle" : "users.confirmReactivateTitle", { name: user.name })}
          confirmLabel={user.active ? t("users.deactivate") : t("users.reactivate")}
          busy={update.isPending}
          onConfirm={() => setActive(!user.active)}
          onCancel={() => setConfirming(false)}
        >
          <p>{t(user.active ? "users.confirmDeactivateBody" : "users.confirmReactivateBody", { email: user.email })}</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
