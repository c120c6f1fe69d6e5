/* SPDX-License-Identifier: MIT */
/* Placeholder until leak-sim lands. */
int main (void);

int
main (void)
{
  return 1;
}
