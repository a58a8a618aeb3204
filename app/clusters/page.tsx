// /clusters: the list of clusters is the overview's cluster strips.
import { redirect } from 'next/navigation';

export default function ClustersIndex() {
  redirect('/#clusters');
}
