import ArgumentParser
import CDS
print("hi")
