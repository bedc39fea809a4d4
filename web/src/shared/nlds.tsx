import {
  useId,
  type ButtonHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type InputHTMLAttributes,
} from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api.js';

/**
 * NL Design System components: the CSS components of @utrecht/component-library-css (BEM classes,
 * themed by design tokens) behind small typed React wrappers. See docs/architecture.md on why the
 * CSS library and not its React bundle.
 */

const cx = (...c: Array<string | false | undefined>): string => c.filter(Boolean).join(' ');

export function Heading({
  level,
  children,
  id,
}: {
  level: 1 | 2 | 3 | 4;
  children: ReactNode;
  id?: string;
}): ReactNode {
  const Tag = `h${level}` as const;
  return (
    <Tag className={`utrecht-heading-${level}`} id={id}>
      {children}
    </Tag>
  );
}

export function Paragraph({
  children,
  lead,
  small,
}: {
  children: ReactNode;
  lead?: boolean;
  small?: boolean;
}): ReactNode {
  return (
    <p
      className={cx(
        'utrecht-paragraph',
        lead && 'utrecht-paragraph--lead',
        small && 'utrecht-paragraph--small',
      )}
    >
      {children}
    </p>
  );
}

export function Button({
  appearance = 'secondary-action',
  className,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  appearance?: 'primary-action' | 'secondary-action' | 'subtle';
}): ReactNode {
  return (
    <button
      type="button"
      className={cx('utrecht-button', `utrecht-button--${appearance}`, className)}
      {...rest}
    />
  );
}

/** A link that looks like a button (downloads, "print"). */
export function ButtonLink({
  href,
  children,
  appearance = 'secondary-action',
  download,
}: {
  href: string;
  children: ReactNode;
  appearance?: 'primary-action' | 'secondary-action';
  download?: boolean;
}): ReactNode {
  return (
    <a
      href={href}
      className={`utrecht-button-link utrecht-button-link--html-a utrecht-button-link--${appearance}`}
      {...(download ? { download: '' } : {})}
    >
      {children}
    </a>
  );
}

export function ButtonGroup({ children }: { children: ReactNode }): ReactNode {
  return <div className="utrecht-button-group">{children}</div>;
}

/** The aria attributes and id a form control gets from its FormField. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/**
 * A form field: the label, the description and the error of one control, both tied to it
 * (aria-describedby). `children` renders the control with the props it is given.
 */
export function FormField({
  label,
  description,
  error,
  id: givenId,
  children,
}: {
  label: string;
  description?: string | undefined;
  error?: string | undefined;
  /** the control's id (default: a generated one) */
  id?: string | undefined;
  children: (control: ControlProps) => ReactNode;
}): ReactNode {
  const generated = useId();
  const id = givenId ?? generated;
  const describedBy = [description ? `${id}-d` : '', error ? `${id}-e` : ''].filter(Boolean).join(' ');
  return (
    <div
      className={cx(
        'utrecht-form-field utrecht-form-field--distanced',
        error && 'utrecht-form-field--invalid',
      )}
    >
      <label className="utrecht-form-label" htmlFor={id}>
        {label}
      </label>
      {description && (
        <div className="utrecht-form-field-description" id={`${id}-d`}>
          {description}
        </div>
      )}
      {error && (
        <div className="utrecht-form-field-error-message dp-field-error" id={`${id}-e`}>
          {error}
        </div>
      )}
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
    </div>
  );
}

/** A labelled select; `options` are [value, text]. */
export function SelectField({
  label,
  options,
  description,
  ...rest
}: {
  label: string;
  options: Array<[string, string]>;
  description?: string;
} & SelectHTMLAttributes<HTMLSelectElement>): ReactNode {
  return (
    <FormField label={label} description={description}>
      {(control) => (
        <select className="utrecht-select utrecht-select--html-select" {...control} {...rest}>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}

/** A labelled text input; with `error`, the error is shown and tied to it. */
export function TextField({
  label,
  description,
  error,
  id,
  ...rest
}: {
  label: string;
  description?: string | undefined;
  error?: string | undefined;
  id?: string | undefined;
} & InputHTMLAttributes<HTMLInputElement>): ReactNode {
  return (
    <FormField label={label} description={description} error={error} id={id}>
      {(control) => (
        <input
          className={cx('utrecht-textbox utrecht-textbox--html-input', error && 'utrecht-textbox--invalid')}
          {...control}
          {...rest}
        />
      )}
    </FormField>
  );
}

export function Alert({
  type = 'info',
  children,
}: {
  type?: 'info' | 'ok' | 'warning' | 'error';
  children: ReactNode;
}): ReactNode {
  return (
    <div className={`utrecht-alert utrecht-alert--${type}`} role={type === 'error' ? 'alert' : 'status'}>
      <div className="utrecht-alert__content">
        <div className="utrecht-alert__message">{children}</div>
      </div>
    </div>
  );
}

/** A definition list: label → value pairs. */
export function DataList({ items }: { items: Array<[string, ReactNode]> }): ReactNode {
  return (
    <dl className="utrecht-data-list utrecht-data-list--rows">
      {items.map(([k, v]) => (
        <div className="utrecht-data-list__item" key={k}>
          <dt className="utrecht-data-list__item-key">{k}</dt>
          <dd className="utrecht-data-list__item-value">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** What a page shows while it loads or when the API refused: never an empty page. */
export function Loading({
  loading,
  error,
  children,
}: {
  loading: boolean;
  error?: Error | undefined;
  children?: ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  if (error) {
    const status = error instanceof ApiError ? error.status : 0;
    return (
      <Alert type="error">
        {status === 401 ? t('error.signedOut') : status === 403 ? t('error.forbidden') : t('error.generic')}{' '}
        {error.message}
      </Alert>
    );
  }
  if (loading)
    return (
      <p className="utrecht-paragraph" role="status" aria-live="polite">
        {t('loading')}
      </p>
    );
  return children ?? null;
}

/** A page whose data has not come (yet): its h1, then the loading message or the API's refusal. */
export function LoadingPage({
  title,
  loading,
  error,
  children,
}: {
  title: string;
  loading: boolean;
  error?: Error | undefined;
  children?: ReactNode;
}): ReactNode {
  return (
    <>
      <Heading level={1}>{title}</Heading>
      <Loading loading={loading} error={error}>
        {children}
      </Loading>
    </>
  );
}
