// The NL Design System CSS components and their design tokens, then the app's own layout.
import '@utrecht/component-library-css/dist/index.css';
import '@utrecht/design-tokens/dist/index.css';
import './styles.css';
