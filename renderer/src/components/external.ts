// The details panel, the add dialog and the seedbox editor are built separately; until a file
// exists its place shows a quiet placeholder instead of breaking the build.
import { defineAsyncComponent, defineComponent, h, type Component } from 'vue';

const modules = import.meta.glob(['./details/DetailsPanel.vue', './add/AddDialog.vue', './editor/SeedboxEditor.vue']);

function placeholder(name: string): Component {
  return defineComponent({
    name: `${name}Placeholder`,
    inheritAttrs: false,
    props: { open: { type: Boolean, default: true } },
    setup(props) {
      return () => (props.open ? h('div', { class: 'external-placeholder' }, `${name} is not built yet.`) : null);
    },
  });
}

function external(path: string, name: string): Component {
  const load = modules[path];
  return load ? defineAsyncComponent(load as () => Promise<Component>) : placeholder(name);
}

export const DetailsPanel = external('./details/DetailsPanel.vue', 'The details panel');
export const AddDialog = external('./add/AddDialog.vue', 'The add dialog');
export const SeedboxEditor = external('./editor/SeedboxEditor.vue', 'The seedbox editor');
